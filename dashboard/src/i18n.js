// Vietnamese first, English switchable. Labels of the API's enum codes, and vi-VN / en-GB
// number and date formats. The choice is kept in localStorage (it is not personal data).
const LANG_KEY = 'ketnap.lang';
let lang = (() => {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
})();

export const getLang = () => lang;
export function setLang(next) {
  lang = next === 'en' ? 'en' : 'vi';
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page
  }
  document.documentElement.lang = lang;
}

const locale = () => (lang === 'vi' ? 'vi-VN' : 'en-GB');

export const fmtInt = (n) => (n == null ? '–' : new Intl.NumberFormat(locale()).format(n));

/** A percentage from the API's Percentage { numerator denominator value } (value already truncated). */
export function fmtPct(p) {
  if (!p || p.value == null) return '–';
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(p.value) + ' %';
}

export const fmtSigned = (n) => (n == null ? '–' : (n > 0 ? '+' : '') + fmtInt(n));

export function fmtDate(iso) {
  if (!iso) return '–';
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso);
  return new Intl.DateTimeFormat(locale(), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(d);
}

/** A report's period from its first and last day: a calendar year by its number, else the days. */
export function fmtPeriod(period) {
  if (!period) return '';
  const { from, to } = period;
  if (from.slice(0, 4) === to.slice(0, 4) && from.endsWith('-01-01') && to.endsWith('-12-31')) return `${t('year')} ${from.slice(0, 4)}`;
  return `${fmtDate(from)} – ${fmtDate(to)}`;
}

export function fmtDateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  const time = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return `${fmtDate(d.toISOString())} ${time}`;
}

const TEXT = {
  vi: {
    appTitle: 'Bảng theo dõi kết nạp đảng viên',
    signIn: 'Đăng nhập',
    signInTitle: 'Đăng nhập Ketnap',
    signInHint: 'Dùng tài khoản Ketnap của cấp ủy.',
    username: 'Tên đăng nhập',
    password: 'Mật khẩu',
    signingIn: 'Đang đăng nhập…',
    signOut: 'Đăng xuất',
    language: 'Ngôn ngữ',
    unit: 'Đơn vị',
    period: 'Kỳ báo cáo',
    periodYear: 'Năm',
    periodTerm: 'Nhiệm kỳ',
    periodRange: 'Khoảng ngày',
    periodYtd: 'Từ đầu năm đến ngày',
    year: 'Năm',
    termStart: 'Từ năm',
    termEnd: 'Đến năm',
    asOf: 'Tính đến ngày',
    from: 'Từ ngày',
    to: 'Đến ngày',
    apply: 'Xem',
    refresh: 'Làm mới',
    print: 'In (A4)',
    printShort: 'In',
    live: 'Cập nhật trực tiếp',
    polling: 'Tự làm mới mỗi 60 giây',
    loading: 'Đang tải…',
    errorCode: 'Mã lỗi',
    retry: 'Thử lại',
    download: 'Tải về',
    downloading: 'Đang tải về…',
    showTable: 'Xem bảng số liệu',
    hideTable: 'Ẩn bảng số liệu',
    noData: 'Không có số liệu trong kỳ.',
    of: 'trên',
    skip: 'Bỏ qua, đến nội dung chính',
    // progress
    progressTitle: 'Tiến độ so với chỉ tiêu',
    admitted: 'Kết nạp',
    target: 'Chỉ tiêu',
    ofTarget: 'Đạt so với chỉ tiêu',
    lastYear: 'Cùng kỳ năm trước',
    change: 'Tăng/giảm',
    expectedByNow: 'Dự kiến đến nay',
    behind: 'Chậm tiến độ',
    onTrack: 'Đạt tiến độ',
    noTarget: 'Chưa giao chỉ tiêu',
    rank: 'Hạng',
    childUnits: 'Đơn vị trực thuộc, xếp theo tỷ lệ đạt chỉ tiêu',
    childUnitsAdmitted: 'Số kết nạp của các đơn vị trực thuộc',
    unitName: 'Đơn vị',
    hiddenUnit: '(ngoài phạm vi)',
    childrenTargetSum: 'Tổng chỉ tiêu các đơn vị trực thuộc',
    // breakdown
    breakdownTitle: 'Đảng viên mới kết nạp là ai',
    total: 'Tổng số',
    aged18To30: 'Tuổi 18–30',
    women: 'Nữ',
    ethnicMinorities: 'Dân tộc thiểu số',
    collegeOrUniversity: 'Cao đẳng, đại học',
    postgraduate: 'Trên đại học',
    returnedSoldiers: 'Quân nhân xuất ngũ',
    ageBands: 'Độ tuổi',
    gender: 'Giới tính',
    ethnicity: 'Dân tộc',
    generalEducation: 'Trình độ giáo dục phổ thông',
    professionalLevel: 'Trình độ chuyên môn',
    sourceOrganisation: 'Nguồn giới thiệu',
    count: 'Số người',
    share: 'Tỷ lệ',
    suppressed: 'ẩn (ô nhỏ)',
    suppressedNote: 'Một số ô nhỏ được ẩn để bảo vệ dữ liệu cá nhân.',
    // funnel
    funnelTitle: 'Từ bồi dưỡng đến kết nạp',
    trained: 'Hoàn thành lớp bồi dưỡng nhận thức về Đảng',
    conversion: 'Tỷ lệ kết nạp trên số được bồi dưỡng',
    trainedThenAdmitted: 'Bồi dưỡng trong kỳ và đã được kết nạp',
    cohortConversion: 'Tỷ lệ của khóa bồi dưỡng',
    trainingTitle: 'Công tác bồi dưỡng',
    funnelShort: 'Phễu',
    trainingShort: 'Bồi dưỡng',
    course: 'Lớp',
    courses: 'Số lớp',
    people: 'Số người hoàn thành',
    awareness: 'Bồi dưỡng nhận thức về Đảng',
    newMember: 'Bồi dưỡng đảng viên mới',
    // pipeline
    pipelineTitle: 'Quy trình đang xử lý',
    byStage: 'Số người theo bước',
    stage: 'Bước',
    overdueDeadlines: 'Quá hạn',
    deadlinesComingUp: 'Sắp đến hạn',
    withoutMentor: 'Chưa có người giúp đỡ',
    certificatesExpiring: 'Giấy chứng nhận bồi dưỡng sắp hết hạn',
    dossiersGoingStale: 'Hồ sơ sắp quá hạn',
    failedBranchVotes: 'Chi bộ biểu quyết không đạt',
    withinDays: 'Trong vòng',
    days: 'ngày',
    overdueList: 'Hạn đã quá — bấm để xem quá trình của quần chúng',
    noOverdue: 'Không có hạn nào đã quá.',
    candidate: 'Quần chúng',
    branch: 'Chi bộ',
    deadline: 'Việc phải làm',
    dueOn: 'Hạn',
    includeFinished: 'Hiện cả các bước đã kết thúc',
    // coverage
    coverageTitle: 'Phủ sóng đảng viên ở thôn, tổ dân phố',
    compareYear: 'So với năm',
    areas: 'Số thôn, tổ dân phố',
    withoutMember: 'Chưa có đảng viên',
    withOneOrTwoMembers: 'Có 1–2 đảng viên',
    withoutBranch: 'Chưa có chi bộ',
    headNotMember: 'Trưởng thôn chưa là đảng viên',
    measure: 'Chỉ tiêu đo',
    // candidate
    timelineTitle: 'Quá trình của quần chúng',
    back: '← Về bảng theo dõi',
    currentStage: 'Bước hiện tại',
    nextDeadline: 'Hạn tiếp theo',
    overdue: 'quá hạn',
    keyDates: 'Các mốc',
    listedOn: 'Vào danh sách nguồn',
    branchResolutionOn: 'Chi bộ nghị quyết',
    joinedOn: 'Kết nạp',
    probationEndsOn: 'Hết dự bị',
    officialOn: 'Chính thức',
    resolutions: 'Nghị quyết',
    decisions: 'Quyết định',
    votes: 'Tán thành',
    approved: 'Thông qua',
    notApproved: 'Không thông qua',
    acts: 'Các việc đã ghi nhận',
    recordedAt: 'Ghi nhận lúc',
    by: 'Cấp',
    act: 'Việc',
  },
  en: {
    appTitle: 'Party admission dashboard',
    signIn: 'Sign in',
    signInTitle: 'Sign in to Ketnap',
    signInHint: 'Use your committee’s Ketnap account.',
    username: 'Username',
    password: 'Password',
    signingIn: 'Signing in…',
    signOut: 'Sign out',
    language: 'Language',
    unit: 'Unit',
    period: 'Period',
    periodYear: 'Year',
    periodTerm: 'Congress term',
    periodRange: 'Date range',
    periodYtd: 'Year to date',
    year: 'Year',
    termStart: 'From year',
    termEnd: 'To year',
    asOf: 'As of',
    from: 'From',
    to: 'To',
    apply: 'Show',
    refresh: 'Refresh',
    print: 'Print (A4)',
    printShort: 'Print',
    live: 'Live updates',
    polling: 'Refreshing every 60 seconds',
    loading: 'Loading…',
    errorCode: 'Error code',
    retry: 'Retry',
    download: 'Download',
    downloading: 'Downloading…',
    showTable: 'Show data table',
    hideTable: 'Hide data table',
    noData: 'No figures for this period.',
    of: 'of',
    skip: 'Skip to main content',
    progressTitle: 'Progress against target',
    admitted: 'Admitted',
    target: 'Target',
    ofTarget: 'Share of target',
    lastYear: 'Same period last year',
    change: 'Change',
    expectedByNow: 'Expected by now',
    behind: 'Behind target',
    onTrack: 'On track',
    noTarget: 'No target set',
    rank: 'Rank',
    childUnits: 'Units below, ranked by share of target',
    childUnitsAdmitted: 'Admissions of the units below',
    unitName: 'Unit',
    hiddenUnit: '(out of scope)',
    childrenTargetSum: 'Sum of the units’ targets',
    breakdownTitle: 'Who the new members are',
    total: 'Total',
    aged18To30: 'Aged 18–30',
    women: 'Women',
    ethnicMinorities: 'Ethnic minorities',
    collegeOrUniversity: 'College or university',
    postgraduate: 'Postgraduate',
    returnedSoldiers: 'Returned soldiers',
    ageBands: 'Age',
    gender: 'Gender',
    ethnicity: 'Ethnicity',
    generalEducation: 'General education',
    professionalLevel: 'Professional level',
    sourceOrganisation: 'Source organisation',
    count: 'People',
    share: 'Share',
    suppressed: 'withheld (small cell)',
    suppressedNote: 'Some small cells are withheld to protect personal data.',
    funnelTitle: 'From training to admission',
    trained: 'Completed the Party awareness course',
    conversion: 'Admitted per person trained',
    trainedThenAdmitted: 'Trained in the period and admitted',
    cohortConversion: 'Conversion of the period’s trainees',
    trainingTitle: 'Training',
    funnelShort: 'Funnel',
    trainingShort: 'Training',
    course: 'Course',
    courses: 'Courses',
    people: 'People trained',
    awareness: 'Party awareness course',
    newMember: 'New-member course',
    pipelineTitle: 'The pipeline',
    byStage: 'Candidates per stage',
    stage: 'Stage',
    overdueDeadlines: 'Overdue',
    deadlinesComingUp: 'Due soon',
    withoutMentor: 'Without a mentor',
    certificatesExpiring: 'Course certificates expiring',
    dossiersGoingStale: 'Dossiers going stale',
    failedBranchVotes: 'Failed branch votes',
    withinDays: 'Within',
    days: 'days',
    overdueList: 'Overdue deadlines — open one for the candidate’s timeline',
    noOverdue: 'No deadline is overdue.',
    candidate: 'Candidate',
    branch: 'Branch',
    deadline: 'Due act',
    dueOn: 'Due',
    includeFinished: 'Show finished stages too',
    coverageTitle: 'Residential coverage',
    compareYear: 'Compared with',
    areas: 'Villages and wards',
    withoutMember: 'No member',
    withOneOrTwoMembers: '1–2 members',
    withoutBranch: 'No branch',
    headNotMember: 'Head is not a member',
    measure: 'Measure',
    timelineTitle: 'Candidate’s timeline',
    back: '← Back to the dashboard',
    currentStage: 'Current stage',
    nextDeadline: 'Next deadline',
    overdue: 'overdue',
    keyDates: 'Key dates',
    listedOn: 'Put on the source list',
    branchResolutionOn: 'Branch resolution',
    joinedOn: 'Admitted',
    probationEndsOn: 'Probation ends',
    officialOn: 'Official member',
    resolutions: 'Resolutions',
    decisions: 'Decisions',
    votes: 'In favour',
    approved: 'Approved',
    notApproved: 'Not approved',
    acts: 'Recorded acts',
    recordedAt: 'Recorded at',
    by: 'Level',
    act: 'Act',
  },
};

export const t = (key) => TEXT[lang][key] ?? TEXT.vi[key] ?? key;

const ETHNICITY =
  'KINH Kinh|TAY Tày|THAI Thái|HOA Hoa|KHMER Khmer|MUONG Mường|NUNG Nùng|HMONG H’Mông|DAO Dao|GIA_RAI Gia Rai|NGAI Ngái|E_DE Ê Đê|BA_NA Ba Na|XO_DANG Xơ Đăng|SAN_CHAY Sán Chay|CO_HO Cơ Ho|CHAM Chăm|SAN_DIU Sán Dìu|HRE Hrê|MNONG Mnông|RA_GLAI Ra Glai|XTIENG Xtiêng|BRU_VAN_KIEU Bru Vân Kiều|THO Thổ|GIAY Giáy|CO_TU Cơ Tu|GIE_TRIENG Giẻ Triêng|MA Mạ|KHO_MU Khơ Mú|CO Co|TA_OI Tà Ôi|CHO_RO Chơ Ro|KHANG Kháng|XINH_MUN Xinh Mun|HA_NHI Hà Nhì|CHU_RU Chu Ru|LAO Lào|LA_CHI La Chí|LA_HA La Ha|PHU_LA Phù Lá|LA_HU La Hủ|LU Lự|LO_LO Lô Lô|CHUT Chứt|MANG Mảng|PA_THEN Pà Thẻn|CO_LAO Cơ Lao|CONG Cống|BO_Y Bố Y|SI_LA Si La|PU_PEO Pu Péo|BRAU Brâu|O_DU Ơ Đu|RO_MAM Rơ Măm';

function table(spec) {
  return Object.fromEntries(spec.split('|').map((s) => [s.slice(0, s.indexOf(' ')), s.slice(s.indexOf(' ') + 1)]));
}

const ENUMS = {
  vi: {
    ethnicity: table(ETHNICITY),
    ageBands: { '18_30': '18–30 tuổi', '31_40': '31–40 tuổi', '41_50': '41–50 tuổi', '51_60': '51–60 tuổi', OVER_60: 'Trên 60 tuổi' },
    gender: { MALE: 'Nam', FEMALE: 'Nữ' },
    generalEducation: { LITERATE: 'Biết đọc, biết viết', PRIMARY: 'Tiểu học', LOWER_SECONDARY: 'Trung học cơ sở', UPPER_SECONDARY: 'Trung học phổ thông' },
    professionalLevel: { NONE: 'Chưa qua đào tạo', ELEMENTARY: 'Sơ cấp', INTERMEDIATE: 'Trung cấp', COLLEGE: 'Cao đẳng', UNIVERSITY: 'Đại học', MASTER: 'Thạc sĩ', DOCTOR: 'Tiến sĩ' },
    sourceOrganisation: {
      YOUTH_UNION: 'Đoàn Thanh niên',
      WOMENS_UNION: 'Hội Liên hiệp Phụ nữ',
      FARMERS_UNION: 'Hội Nông dân',
      VETERANS_ASSOCIATION: 'Hội Cựu chiến binh',
      TRADE_UNION: 'Công đoàn',
      FATHERLAND_FRONT: 'Mặt trận Tổ quốc',
      BRANCH: 'Chi bộ trực tiếp',
    },
    stage: {
      SOURCE_LIST: 'Trong danh sách nguồn',
      BRANCH_APPROVED: 'Chi bộ đã đề nghị kết nạp',
      SECTION_APPRAISED: 'Đảng ủy bộ phận đã thẩm định',
      COMMUNE_RESOLVED: 'Đảng ủy cơ sở đã nghị quyết',
      ADMISSION_DECIDED: 'Đã có quyết định kết nạp',
      PROBATIONARY: 'Đảng viên dự bị',
      RECOGNITION_BRANCH_APPROVED: 'Chi bộ đã đề nghị công nhận chính thức',
      RECOGNITION_COMMUNE_RESOLVED: 'Đảng ủy cơ sở đã đề nghị công nhận',
      OFFICIAL: 'Đảng viên chính thức',
      STRIKE_OFF_PROPOSED: 'Đề nghị xóa tên',
      STRIKE_OFF_COMMUNE_RESOLVED: 'Đảng ủy cơ sở đã nghị quyết xóa tên',
      RECOGNITION_REFERRED: 'Đã trình cấp trên xét công nhận',
      DROPPED: 'Đã đưa ra khỏi danh sách nguồn',
      REJECTED: 'Không được kết nạp',
      WITHDRAWN: 'Đã rút',
      STRUCK_OFF: 'Đã xóa tên',
    },
    deadline: {
      ADMISSION_DECISION: 'Quyết định kết nạp',
      CEREMONY: 'Tổ chức lễ kết nạp',
      RECOGNITION_VOTE: 'Chi bộ xét công nhận chính thức',
      RECOGNITION_DECISION: 'Quyết định công nhận chính thức',
      STRIKE_OFF_DECISION: 'Quyết định xóa tên',
    },
    resolution: {
      BRANCH_ADMISSION: 'Chi bộ đề nghị kết nạp',
      SECTION_APPRAISAL: 'Đảng ủy bộ phận thẩm định',
      COMMUNE_ADMISSION: 'Đảng ủy cơ sở đề nghị kết nạp',
      BRANCH_RECOGNITION: 'Chi bộ đề nghị công nhận chính thức',
      COMMUNE_RECOGNITION: 'Đảng ủy cơ sở đề nghị công nhận chính thức',
      BRANCH_STRIKE_OFF: 'Chi bộ đề nghị xóa tên',
      COMMUNE_STRIKE_OFF: 'Đảng ủy cơ sở đề nghị xóa tên',
    },
    decision: { ADMISSION: 'Quyết định kết nạp', RECOGNITION: 'Quyết định công nhận chính thức', STRIKE_OFF: 'Quyết định xóa tên' },
    role: { ADMIN: 'Quản trị', PROVINCE: 'Tỉnh', DISTRICT: 'Huyện', COMMUNE: 'Xã', SECTION: 'Đảng bộ bộ phận', BRANCH: 'Chi bộ', REPORTER: 'Báo cáo' },
  },
  en: {
    ageBands: { '18_30': '18–30', '31_40': '31–40', '41_50': '41–50', '51_60': '51–60', OVER_60: 'Over 60' },
    gender: { MALE: 'Male', FEMALE: 'Female' },
    generalEducation: { LITERATE: 'Literate', PRIMARY: 'Primary', LOWER_SECONDARY: 'Lower secondary', UPPER_SECONDARY: 'Upper secondary' },
    professionalLevel: { NONE: 'None', ELEMENTARY: 'Elementary', INTERMEDIATE: 'Intermediate', COLLEGE: 'College', UNIVERSITY: 'University', MASTER: 'Master’s', DOCTOR: 'Doctorate' },
    sourceOrganisation: {
      YOUTH_UNION: 'Youth Union',
      WOMENS_UNION: 'Women’s Union',
      FARMERS_UNION: 'Farmers’ Union',
      VETERANS_ASSOCIATION: 'Veterans’ Association',
      TRADE_UNION: 'Trade union',
      FATHERLAND_FRONT: 'Fatherland Front',
      BRANCH: 'The branch itself',
    },
    stage: {
      SOURCE_LIST: 'On the source list',
      BRANCH_APPROVED: 'Branch approved',
      SECTION_APPRAISED: 'Section appraised',
      COMMUNE_RESOLVED: 'Grassroots committee resolved',
      ADMISSION_DECIDED: 'Admission decided',
      PROBATIONARY: 'Probationary member',
      RECOGNITION_BRANCH_APPROVED: 'Branch approved recognition',
      RECOGNITION_COMMUNE_RESOLVED: 'Committee resolved recognition',
      OFFICIAL: 'Official member',
      STRIKE_OFF_PROPOSED: 'Strike-off proposed',
      STRIKE_OFF_COMMUNE_RESOLVED: 'Strike-off resolved',
      RECOGNITION_REFERRED: 'Recognition referred',
      DROPPED: 'Dropped',
      REJECTED: 'Rejected',
      WITHDRAWN: 'Withdrawn',
      STRUCK_OFF: 'Struck off',
    },
    deadline: {
      ADMISSION_DECISION: 'Admission decision',
      CEREMONY: 'Admission ceremony',
      RECOGNITION_VOTE: 'Recognition vote',
      RECOGNITION_DECISION: 'Recognition decision',
      STRIKE_OFF_DECISION: 'Strike-off decision',
    },
    resolution: {
      BRANCH_ADMISSION: 'Branch: admission',
      SECTION_APPRAISAL: 'Section: appraisal',
      COMMUNE_ADMISSION: 'Grassroots committee: admission',
      BRANCH_RECOGNITION: 'Branch: recognition',
      COMMUNE_RECOGNITION: 'Grassroots committee: recognition',
      BRANCH_STRIKE_OFF: 'Branch: strike-off',
      COMMUNE_STRIKE_OFF: 'Grassroots committee: strike-off',
    },
    decision: { ADMISSION: 'Admission decision', RECOGNITION: 'Recognition decision', STRIKE_OFF: 'Strike-off decision' },
    role: { ADMIN: 'Administrator', PROVINCE: 'Province', DISTRICT: 'District', COMMUNE: 'Commune', SECTION: 'Section', BRANCH: 'Branch', REPORTER: 'Reporter' },
  },
};

/** The label of an API enum code in a dimension; the code itself when unknown. */
export function label(dimension, key) {
  if (key === 'UNKNOWN') return lang === 'vi' ? 'Không rõ' : 'Unknown';
  return ENUMS[lang][dimension]?.[key] ?? ENUMS.vi[dimension]?.[key] ?? key;
}

const ACTS_VI = {
  addToSourceList: 'Đưa vào danh sách nguồn',
  updateCandidate: 'Cập nhật thông tin',
  assignMentor: 'Phân công đảng viên giúp đỡ',
  replaceMentor: 'Thay người giúp đỡ',
  enrolInCourse: 'Cử đi học lớp bồi dưỡng',
  recordCourseCertificate: 'Cấp giấy chứng nhận bồi dưỡng',
  recordDossierDocument: 'Ghi nhận giấy tờ hồ sơ',
  recordRelative: 'Khai người thân',
  sendBackgroundCheck: 'Gửi thẩm tra lý lịch',
  recordBackgroundReply: 'Nhận kết quả thẩm tra',
  recordVerificationExemption: 'Miễn thẩm tra',
  concludeBackgroundVerification: 'Kết luận thẩm tra lý lịch',
  declareSpecialCase: 'Ghi nhận trường hợp đặc biệt',
  recordHigherConsent: 'Ý kiến đồng ý của cấp trên',
  addIntroduction: 'Đảng viên giới thiệu',
  recordBranchResolution: 'Chi bộ nghị quyết đề nghị kết nạp',
  recordSectionAppraisal: 'Đảng ủy bộ phận thẩm định',
  recordCommuneResolution: 'Đảng ủy cơ sở nghị quyết',
  signAdmissionDecision: 'Ký quyết định kết nạp',
  recordDecisionReceipt: 'Nhận quyết định kết nạp',
  recordAdmissionCeremony: 'Tổ chức lễ kết nạp',
  recordRecognitionBranchResolution: 'Chi bộ xét công nhận chính thức',
  recordRecognitionCommuneResolution: 'Đảng ủy cơ sở đề nghị công nhận',
  signRecognitionDecision: 'Ký quyết định công nhận chính thức',
  proposeStrikeOff: 'Đề nghị xóa tên',
  recordStrikeOffCommuneResolution: 'Đảng ủy cơ sở nghị quyết xóa tên',
  strikeOffProbationer: 'Xóa tên đảng viên dự bị',
  transferCandidate: 'Chuyển sinh hoạt',
  dropFromSourceList: 'Đưa ra khỏi danh sách nguồn',
  rejectCandidate: 'Không kết nạp',
  withdrawCandidate: 'Rút hồ sơ',
  attachScan: 'Đính kèm bản quét',
  correctScan: 'Sửa bản quét',
};

/** An act (named as its mutation) in the reader's language. */
export function actLabel(act) {
  if (lang === 'vi') return ACTS_VI[act] ?? act;
  return act.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()).trim();
}
