//! Scanned papers: which kinds of file a dossier accepts, told by their content, and the
//! name a file is offered for download under.
//!
//! A district appraises the papers of a dossier, not a list of their names: the forms,
//! the verification letters and their replies, the resolutions and the decision (the
//! dossier as Hướng dẫn 09-HD/BTCTW 2017 §1 lists it, kept by 12-HD/BTCTW 2022). A scan
//! stands for a paper, so only the document and image formats a scanner writes are taken.

use super::macros::string_enum;

string_enum! {
    /// What a stored file is, as its first bytes show it (never as its name says).
    pub enum MediaType {
        /// A PDF document (`%PDF-`).
        Pdf = "PDF",
        /// A JPEG image (`FF D8 FF`).
        Jpeg = "JPEG",
        /// A PNG image (`89 50 4E 47 0D 0A 1A 0A`).
        Png = "PNG",
    }
}

impl MediaType {
    /// The most leading bytes [`MediaType::sniff`] needs.
    pub const SNIFF_BYTES: usize = 8;

    /// The media type `head` (a file's first bytes) begins with, if any accepted one.
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        if head.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if head.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(MediaType::Png)
        } else {
            None
        }
    }

    /// The `Content-Type` the file is served with.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
        }
    }

    /// The file name extension that fits the content.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
        }
    }
}

string_enum! {
    /// The record of the dossier a scan belongs to.
    pub enum RecordKind {
        /// A form of the dossier as received (`dossier_document`).
        Document = "DOCUMENT",
        /// A vote: a branch or committee resolution, or a section's appraisal.
        Resolution = "RESOLUTION",
        /// An admission, recognition or strike-off decision.
        Decision = "DECISION",
        /// A course enrolment, whose scan is the certificate the course issued.
        Certificate = "CERTIFICATE",
        /// A background verification, whose scan is the verifying body's reply.
        Verification = "VERIFICATION",
        /// An introduction: a member's paper (3-KNĐ) or a union's resolution (4-KNĐ, 4A-KNĐ).
        Introduction = "INTRODUCTION",
        /// A higher committee's written consent to a case of the candidate.
        Consent = "CONSENT",
    }
}

/// The longest file name kept, in characters (without its extension).
pub const MAX_NAME_CHARS: usize = 120;

/// The name a file is stored and offered under: the uploader's name without any folder,
/// control or quoting characters, cut to [`MAX_NAME_CHARS`], with the extension of what
/// the file really is (a `.exe` that holds a PDF is offered as `….pdf`).
pub fn safe_file_name(uploaded: &str, media: MediaType) -> String {
    let base = uploaded.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let cleaned: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>' | '|' | '*' | '?' | ':'))
        .take(MAX_NAME_CHARS)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let stem = if cleaned.is_empty() { "scan" } else { cleaned };
    format!("{stem}.{}", media.extension())
}

/// Whether adding `size` bytes keeps a candidate's files within `quota` bytes, with
/// `stored` bytes there already (every version counts: none is ever deleted).
pub fn within_quota(stored: u64, size: u64, quota: u64) -> bool {
    stored.checked_add(size).is_some_and(|total| total <= quota)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            MediaType::sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some(MediaType::Png)
        );
        // A near miss of each, and what a renamed file would hold.
        assert_eq!(MediaType::sniff(b"%PDF"), None);
        assert_eq!(MediaType::sniff(&[0xFF, 0xD8]), None);
        assert_eq!(MediaType::sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A]), None);
        assert_eq!(MediaType::sniff(b"MZ\x90\x00"), None);
        assert_eq!(MediaType::sniff(b"GIF89a"), None);
        assert_eq!(MediaType::sniff(b""), None);
    }

    #[test]
    fn a_name_loses_its_folders_and_takes_the_true_extension() {
        assert_eq!(
            safe_file_name("Đơn xin vào Đảng.pdf", MediaType::Pdf),
            "Đơn xin vào Đảng.pdf"
        );
        assert_eq!(safe_file_name("../../etc/passwd", MediaType::Png), "passwd.png");
        assert_eq!(safe_file_name("C:\\scans\\ly lich.JPG", MediaType::Jpeg), "ly lich.jpg");
        assert_eq!(safe_file_name("report.exe", MediaType::Pdf), "report.pdf");
        assert_eq!(safe_file_name("a\"b;\r\nc.pdf", MediaType::Pdf), "abc.pdf");
        assert_eq!(safe_file_name("", MediaType::Pdf), "scan.pdf");
        assert_eq!(safe_file_name(".hidden", MediaType::Pdf), "hidden.pdf");
        assert_eq!(safe_file_name("...", MediaType::Pdf), "scan.pdf");
        let long = "x".repeat(500);
        assert_eq!(
            safe_file_name(&long, MediaType::Pdf).chars().count(),
            MAX_NAME_CHARS + 4
        );
    }

    #[test]
    fn the_quota_counts_what_is_stored() {
        assert!(within_quota(0, 10, 10));
        assert!(!within_quota(1, 10, 10));
        assert!(within_quota(90, 10, 100));
        assert!(!within_quota(u64::MAX, 1, u64::MAX));
    }
}
