//! A broken rule: a stable code for programs and a sentence for people, in English and
//! Vietnamese (the rule's explanation of the refusal).

use std::fmt;

use crate::lang::Text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rule: &'static str,
    pub message: Text,
}

impl Violation {
    pub fn new(rule: &'static str, message: Text) -> Self {
        Violation { rule, message }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}
