//! SeaORM entities: persistence only. They are never exposed through GraphQL; the API
//! types in the server crate are built from them, so a column can change without the
//! public schema changing.

pub mod admission_delegation;
pub mod admission_target;
pub mod api_token;
pub mod app_user;
pub mod audit_event;
pub mod background_check;
pub mod background_conclusion;
pub mod background_rule;
pub mod candidate;
pub mod candidate_case;
pub mod consent_case;
pub mod course;
pub mod course_enrolment;
pub mod decision;
pub mod dossier_document;
pub mod higher_consent;
pub mod introduction;
pub mod member;
pub mod mentor_assignment;
pub mod org_unit;
pub mod org_unit_closure;
pub mod org_unit_succession;
pub mod public_holiday;
pub mod refresh_token;
pub mod relative;
pub mod residential_area;
pub mod residential_area_status;
pub mod resolution;
pub mod rulebook_version;
pub mod scanned_file;
pub mod scanned_file_chunk;
pub mod verification_exemption;
pub mod vote_exclusion;
