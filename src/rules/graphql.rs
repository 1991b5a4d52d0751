//! The rulebook and the holiday calendar in the API.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use entity::{public_holiday, rulebook_version};

use super::{service, store};
use crate::domain::rulebook::{Fraction, Rulebook as Rules};
use crate::error::{AppError, tr};
use crate::graphql::context::ContextExt;
use crate::graphql::relay::global_id;
use crate::graphql::scalars::Date;

/// A share of votes, such as 2/3.
#[derive(SimpleObject, InputObject, Clone, Copy)]
#[graphql(input_name = "ShareInput")]
pub struct Share {
    /// The top of the fraction (2 in 2/3).
    numerator: i32,
    /// The bottom of the fraction (3 in 2/3).
    denominator: i32,
}

impl From<Fraction> for Share {
    fn from(f: Fraction) -> Self {
        Share {
            numerator: f.num() as i32,
            denominator: f.den() as i32,
        }
    }
}

fn not_a_share() -> crate::error::Text {
    tr!(
        "a share is a fraction between 0 and 1",
        "tỷ lệ phải là một phân số từ 0 đến 1"
    )
}

impl Share {
    fn parse(self, field: &str) -> Result<Fraction, AppError> {
        let (Ok(num), Ok(den)) = (u32::try_from(self.numerator), u32::try_from(self.denominator)) else {
            return Err(AppError::validation(field, not_a_share()));
        };
        Fraction::new(num, den).ok_or_else(|| AppError::validation(field, not_a_share()))
    }
}

pub struct Rulebook {
    row: rulebook_version::Model,
    rules: Rules,
}

impl Rulebook {
    pub fn new(row: rulebook_version::Model) -> Result<Self, AppError> {
        Ok(Rulebook {
            rules: store::to_domain(&row)?,
            row,
        })
    }
}

/// One version of the rulebook: every threshold, deadline and limit of the admission
/// rules, in force from `effectiveFrom` until the next version.
#[Object]
impl Rulebook {
    /// ID of the version.
    async fn id(&self) -> ID {
        global_id("RulebookVersion", self.row.id)
    }
    /// First day on which acts are judged by this version.
    async fn effective_from(&self) -> Date {
        Date(self.rules.effective_from)
    }
    /// The rules this version transcribes.
    async fn source(&self) -> &str {
        &self.row.source
    }
    /// The version (by its `effectiveFrom`) whose values this one kept where it stated none.
    async fn inherits_from(&self) -> Option<Date> {
        self.row.inherits_from.map(Date)
    }
    /// Youngest age at the branch vote, in months (18 years = 216).
    async fn min_age_months(&self) -> u32 {
        self.rules.min_age_months
    }
    /// Oldest age at the branch vote without the province's consent, in months.
    async fn max_age_months(&self) -> u32 {
        self.rules.max_age_months
    }
    /// Share of the branch's official members needed to propose admission (6-KNĐ).
    async fn branch_vote_share(&self) -> Share {
        self.rules.branch_vote.into()
    }
    /// Share of the grassroots committee needed (8-KNĐ).
    async fn commune_vote_share(&self) -> Share {
        self.rules.commune_vote.into()
    }
    /// Share of the branch's official members needed to propose recognition (13-KNĐ).
    async fn recognition_branch_vote_share(&self) -> Share {
        self.rules.recognition_branch_vote.into()
    }
    /// Share of the grassroots committee needed for recognition (15-KNĐ).
    async fn recognition_commune_vote_share(&self) -> Share {
        self.rules.recognition_commune_vote.into()
    }
    /// Working days from the branch resolution to the admission decision.
    async fn decision_working_days(&self) -> u32 {
        self.rules.decision_working_days
    }
    /// Extra working days allowed in special cases.
    async fn decision_extension_working_days(&self) -> u32 {
        self.rules.decision_extension_working_days
    }
    /// Working days from the branch's receipt of the admission decision (or its signing) to the ceremony.
    async fn ceremony_working_days(&self) -> u32 {
        self.rules.ceremony_working_days
    }
    /// Working days after probation ends for the branch's recognition vote.
    async fn recognition_vote_working_days(&self) -> u32 {
        self.rules.recognition_vote_working_days
    }
    /// Working days from the branch's recognition resolution (13-KNĐ) to the recognition decision (16-KNĐ).
    async fn recognition_decision_working_days(&self) -> u32 {
        self.rules.recognition_decision_working_days
    }
    /// Months of probation, from the ceremony.
    async fn probation_months(&self) -> u32 {
        self.rules.probation_months
    }
    /// Months the awareness-course certificate (CN-NTVĐ) stays valid.
    async fn certificate_validity_months(&self) -> u32 {
        self.rules.certificate_validity_months
    }
    /// Months an introducer must have known the candidate.
    async fn introducer_known_months(&self) -> u32 {
        self.rules.introducer_known_months
    }
    /// Months after which introductions and comments must be redone.
    async fn dossier_staleness_months(&self) -> u32 {
        self.rules.dossier_staleness_months
    }
    /// Branch votes on a probationer's standing that may fail before the competent
    /// committee decides the question itself.
    async fn recognition_votes_before_referral(&self) -> u32 {
        self.rules.recognition_votes_before_referral
    }
    /// Months a former member waits after leaving the Party before re-admission.
    async fn readmission_wait_months(&self) -> u32 {
        self.rules.readmission_wait_months
    }
    /// Months after a criminal record for a less serious offence is expunged before re-admission.
    async fn readmission_wait_after_expungement_months(&self) -> u32 {
        self.rules.readmission_wait_after_expungement_months
    }
}

pub struct PublicHoliday(public_holiday::Model);

/// A public holiday, or a Saturday worked to make up for a swapped day off.
#[Object]
impl PublicHoliday {
    /// The day.
    async fn date(&self) -> Date {
        Date(self.0.day)
    }
    /// True for a make-up working Saturday (ngày làm bù), false for a day off.
    async fn is_makeup_workday(&self) -> bool {
        self.0.kind == crate::domain::calendar::DayKind::MakeupWorkday
    }
    /// Name of the holiday (e.g. "Tết Nguyên đán"), or what a make-up working day makes up for.
    async fn name(&self) -> &str {
        &self.0.name
    }
}

#[derive(Default)]
pub struct RulesQuery;

#[Object]
impl RulesQuery {
    /// The rulebook in force on a day (default: today).
    async fn rulebook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day the rulebook is read for (default: today).")] on: Option<Date>,
    ) -> async_graphql::Result<Rulebook> {
        ctx.actor()?;
        let on = on.map_or_else(crate::clock::today, |d| d.0);
        Ok(Rulebook::new(store::version_on(ctx.db()?, on).await?)?)
    }

    /// Every version of the rulebook, oldest first.
    async fn rulebook_versions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Rulebook>> {
        ctx.actor()?;
        let rows = store::versions(ctx.db()?).await?;
        Ok(rows.into_iter().map(Rulebook::new).collect::<Result<_, _>>()?)
    }

    /// The cases that need a higher committee's written consent before admission, as in
    /// force on a day (default: today): each names the consenting body, the step it must
    /// precede and its source.
    async fn consent_cases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day the cases are read for (default: today).")] on: Option<Date>,
    ) -> async_graphql::Result<Vec<ConsentCase>> {
        ctx.actor()?;
        let on = on.map_or_else(crate::clock::today, |d| d.0);
        Ok(store::consent_cases_on(ctx.db()?, on)
            .await?
            .into_iter()
            .map(ConsentCase)
            .collect())
    }

    /// The holiday calendar of a year.
    async fn public_holidays(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The calendar year.")] year: i32,
    ) -> async_graphql::Result<Vec<PublicHoliday>> {
        ctx.actor()?;
        Ok(store::holidays_in(ctx.db()?, year)
            .await?
            .into_iter()
            .map(PublicHoliday)
            .collect())
    }
}

/// A new version of the rulebook. It states every value, or names in `inheritsFrom` the
/// version (by its `effectiveFrom`) whose values it keeps where it states none: a version
/// never silently takes values from another.
#[derive(InputObject)]
pub struct AddRulebookVersionInput {
    /// First day on which acts are judged by the new version; acts dated earlier keep their rules.
    effective_from: Date,
    /// The regulation this version transcribes (e.g. "Quy định 294-QĐ/TW").
    /// At most 500 characters.
    source: String,
    /// The `effectiveFrom` of the version whose values this one keeps where it states
    /// none; without it every value must be given.
    inherits_from: Option<Date>,
    /// Youngest age at the branch vote, in months (18 years = 216).
    min_age_months: Option<u32>,
    /// Oldest age at the branch vote without the province's consent, in months (60 years = 720).
    max_age_months: Option<u32>,
    /// Share of the branch's official members needed to propose admission (6-KNĐ).
    branch_vote_share: Option<Share>,
    /// Share of the grassroots committee needed (8-KNĐ).
    commune_vote_share: Option<Share>,
    /// Share of the branch's official members needed to propose recognition (13-KNĐ).
    recognition_branch_vote_share: Option<Share>,
    /// Share of the grassroots committee needed for recognition (15-KNĐ).
    recognition_commune_vote_share: Option<Share>,
    /// Working days from the branch resolution to the admission decision.
    decision_working_days: Option<u32>,
    /// Extra working days a decision may take in special cases.
    decision_extension_working_days: Option<u32>,
    /// Working days from the branch's receipt of the admission decision to the ceremony.
    ceremony_working_days: Option<u32>,
    /// Working days after probation ends for the branch's recognition vote.
    recognition_vote_working_days: Option<u32>,
    /// Working days from the branch's recognition resolution to the recognition decision.
    recognition_decision_working_days: Option<u32>,
    /// Months of probation, from the ceremony.
    probation_months: Option<u32>,
    /// Months the awareness-course certificate (CN-NTVĐ) stays valid.
    certificate_validity_months: Option<u32>,
    /// Months an introducer must have known the candidate.
    introducer_known_months: Option<u32>,
    /// Months after which introductions and comments must be redone.
    dossier_staleness_months: Option<u32>,
    /// Months a former member waits after leaving the Party before re-admission.
    readmission_wait_months: Option<u32>,
    /// Months after a criminal record for a less serious offence is expunged before re-admission.
    readmission_wait_after_expungement_months: Option<u32>,
    /// Branch votes on a probationer's standing that may fail before the competent committee decides.
    recognition_votes_before_referral: Option<u32>,
}

impl AddRulebookVersionInput {
    /// The rules of the new version, from what it states and what it inherits from `base`;
    /// every value neither states nor inherits is named in one error.
    fn apply(self, base: Option<Rules>) -> Result<(Rules, String), AppError> {
        let mut missing: Vec<&'static str> = Vec::new();
        let b = base.as_ref();
        // Each value as stated, else as inherited, else named among the missing (the zero
        // or one-in-one standing in for it never leaves this function).
        macro_rules! pick {
            ($field:ident, $name:literal) => {
                self.$field.or(b.map(|b| b.$field)).unwrap_or_else(|| {
                    missing.push($name);
                    0
                })
            };
        }
        macro_rules! share {
            ($input:ident, $field:ident, $name:literal) => {
                match self.$input {
                    Some(s) => s.parse($name)?,
                    None => match b {
                        Some(b) => b.$field,
                        None => {
                            missing.push($name);
                            Fraction::new(1, 1)
                                .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("1/1 is a share")))?
                        }
                    },
                }
            };
        }
        let rules = Rules {
            effective_from: self.effective_from.0,
            min_age_months: pick!(min_age_months, "minAgeMonths"),
            max_age_months: pick!(max_age_months, "maxAgeMonths"),
            branch_vote: share!(branch_vote_share, branch_vote, "branchVoteShare"),
            commune_vote: share!(commune_vote_share, commune_vote, "communeVoteShare"),
            recognition_branch_vote: share!(
                recognition_branch_vote_share,
                recognition_branch_vote,
                "recognitionBranchVoteShare"
            ),
            recognition_commune_vote: share!(
                recognition_commune_vote_share,
                recognition_commune_vote,
                "recognitionCommuneVoteShare"
            ),
            decision_working_days: pick!(decision_working_days, "decisionWorkingDays"),
            decision_extension_working_days: pick!(decision_extension_working_days, "decisionExtensionWorkingDays"),
            ceremony_working_days: pick!(ceremony_working_days, "ceremonyWorkingDays"),
            recognition_vote_working_days: pick!(recognition_vote_working_days, "recognitionVoteWorkingDays"),
            recognition_decision_working_days: pick!(
                recognition_decision_working_days,
                "recognitionDecisionWorkingDays"
            ),
            probation_months: pick!(probation_months, "probationMonths"),
            certificate_validity_months: pick!(certificate_validity_months, "certificateValidityMonths"),
            introducer_known_months: pick!(introducer_known_months, "introducerKnownMonths"),
            dossier_staleness_months: pick!(dossier_staleness_months, "dossierStalenessMonths"),
            readmission_wait_months: pick!(readmission_wait_months, "readmissionWaitMonths"),
            readmission_wait_after_expungement_months: pick!(
                readmission_wait_after_expungement_months,
                "readmissionWaitAfterExpungementMonths"
            ),
            recognition_votes_before_referral: pick!(
                recognition_votes_before_referral,
                "recognitionVotesBeforeReferral"
            ),
        };
        if let Some(first) = missing.first() {
            return Err(AppError::validation(
                *first,
                tr!(
                    "state every value or name the version it inherits from (inheritsFrom); missing: {}",
                    "hãy nêu đủ mọi giá trị hoặc chỉ rõ phiên bản được kế thừa (inheritsFrom); còn thiếu: {}",
                    missing.join(", ")
                ),
            ));
        }
        Ok((rules, self.source))
    }
}

/// The rulebook version added.
#[derive(SimpleObject)]
pub struct RulebookPayload {
    /// The new version, with every value it stated or inherited.
    rulebook: Rulebook,
}

/// Add a day off, or a Saturday worked in exchange for one.
#[derive(InputObject)]
pub struct AddPublicHolidayInput {
    /// The day off, or the Saturday worked.
    date: Date,
    /// At most 200 characters.
    name: String,
    /// A make-up working Saturday rather than a day off.
    #[graphql(default = false)]
    is_makeup_workday: bool,
}

/// Remove a day from the holiday calendar.
#[derive(InputObject)]
pub struct RemovePublicHolidayInput {
    /// The day to remove.
    date: Date,
}

/// A day of the holiday calendar, as added or removed.
#[derive(SimpleObject)]
pub struct PublicHolidayPayload {
    /// The day.
    public_holiday: PublicHoliday,
}

/// A case that needs a higher committee's written consent before admission.
pub struct ConsentCase(pub crate::domain::consent::ConsentCase);

/// A case that needs a higher committee's written consent before admission (rulebook data).
#[Object]
impl ConsentCase {
    /// Stable code (e.g. `OVER_AGE`), as `declareSpecialCase` and `recordHigherConsent` take it.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The case, in Vietnamese.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The body whose written consent it needs.
    async fn consenting_body(&self) -> &str {
        &self.0.consenting_body
    }
    /// The act the consent must come before.
    async fn needed_before(&self) -> ConsentStep {
        self.0.needed_before.into()
    }
    /// Whether it is read from the candidate's own facts (age, education, re-admission)
    /// rather than declared by the branch.
    async fn read_from_facts(&self) -> bool {
        self.0.detected.is_some()
    }
    /// Where the rule comes from.
    async fn source(&self) -> &str {
        &self.0.source
    }
}

/// A new case needing a higher committee's written consent, or a new version of one.
#[derive(InputObject)]
pub struct DefineConsentCaseInput {
    /// Stable code: upper-case letters, digits and underscores. At most 64 characters.
    code: String,
    /// The case, in Vietnamese. At most 200 characters.
    name: String,
    /// The body whose written consent it needs. At most 200 characters.
    consenting_body: String,
    /// The act the consent must come before.
    needed_before: ConsentStep,
    /// Where the rule comes from. At most 500 characters.
    source: String,
    /// The day it applies from.
    effective_from: Date,
}

/// A case as defined.
#[derive(SimpleObject)]
pub struct ConsentCasePayload {
    /// The case as now in force from its day.
    consent_case: ConsentCase,
}

#[derive(Default)]
pub struct RulesMutation;

#[Object]
impl RulesMutation {
    /// Add a version of the rulebook (administrators). Acts dated from its effective date on
    /// are judged by it; earlier acts keep the rules of their day.
    async fn add_rulebook_version(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: AddRulebookVersionInput,
    ) -> async_graphql::Result<RulebookPayload> {
        let (db, actor) = (ctx.db()?, ctx.actor()?);
        service::require_rulebook_keeper(actor)?;
        service::parse_source(&input.source)?;
        let inherits_from = input.inherits_from.map(|d| d.0);
        let base = match inherits_from {
            Some(day) => Some(store::to_domain(&store::version_from(db, day).await?)?),
            None => None,
        };
        let (rules, source) = input.apply(base)?;
        let row = service::add_version(db, actor, rules, source, inherits_from).await?;
        Ok(RulebookPayload {
            rulebook: Rulebook::new(row)?,
        })
    }

    /// Define a case that needs a higher committee's written consent (administrators): a
    /// new case is data; the branch declares it for a candidate, and the vote or decision it
    /// must precede is refused until the consent is recorded.
    async fn define_consent_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: DefineConsentCaseInput,
    ) -> async_graphql::Result<ConsentCasePayload> {
        let case = service::NewConsentCase {
            code: input.code,
            name: input.name,
            consenting_body: input.consenting_body,
            needed_before: input.needed_before.into(),
            source: input.source,
            effective_from: input.effective_from.0,
        };
        let row = service::define_consent_case(ctx.db()?, ctx.actor()?, case).await?;
        Ok(ConsentCasePayload {
            consent_case: ConsentCase(store::to_case(row)),
        })
    }

    /// Add a public holiday or make-up working day (administrators).
    async fn add_public_holiday(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: AddPublicHolidayInput,
    ) -> async_graphql::Result<PublicHolidayPayload> {
        let row = service::add_holiday(
            ctx.db()?,
            ctx.actor()?,
            input.date.0,
            input.is_makeup_workday,
            input.name,
        )
        .await?;
        Ok(PublicHolidayPayload {
            public_holiday: PublicHoliday(row),
        })
    }

    /// Remove a day from the holiday calendar (administrators).
    async fn remove_public_holiday(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the act takes: see the fields of its input type.")] input: RemovePublicHolidayInput,
    ) -> async_graphql::Result<PublicHolidayPayload> {
        let row = service::remove_holiday(ctx.db()?, ctx.actor()?, input.date.0).await?;
        Ok(PublicHolidayPayload {
            public_holiday: PublicHoliday(row),
        })
    }
}

crate::graphql::enums::mirror_enum! {
    /// The act a higher committee's consent must come before.
    ConsentStep => crate::domain::consent::ConsentStep {
        /// The branch's vote (6-KNĐ).
        BranchVote,
        /// The admission decision (9-KNĐ).
        Decision,
    }
}
