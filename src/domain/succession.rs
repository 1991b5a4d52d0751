//! Mergers and splits of units (sáp nhập, chia tách): a dated succession from predecessor to
//! successor. A successor's reports for a period that straddles the change count its
//! predecessors' records from before it, as far as what they held came to the successor.

use chrono::NaiveDate;

super::macros::string_enum! {
    /// How units succeeded one another.
    pub enum SuccessionKind {
        /// Several units merged into one (sáp nhập): everything passes to the successor.
        Merger = "MERGER",
        /// A unit split into several (chia tách): each successor receives a part.
        Split = "SPLIT",
    }
}

/// One step of succession: `predecessor` handed (all or part of) what it held to
/// `successor` on `on`, and closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Succession {
    pub predecessor: i32,
    pub successor: i32,
    pub on: NaiveDate,
    /// A merger hands over everything, the predecessor's own records included; a split
    /// hands each successor only the units it received.
    pub whole: bool,
}

/// A unit whose earlier records a successor's reports take in: records of `unit` (or of
/// units then under it) dated before `until`, of units that were under the successor on
/// `arrived_on`, the day they reached it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lineage {
    pub unit: i32,
    pub until: NaiveDate,
    pub arrived_on: NaiveDate,
    /// Records of `unit` itself (not only of the units under it) pass on: every step from
    /// it to the successor was a merger.
    pub whole: bool,
}

/// Every predecessor of `unit`, at any remove, with the dates that bound what it passes on.
/// A predecessor's own predecessors pass on their records through it: before their own
/// change they held what later reached `unit` on the day their successor's did.
pub fn lineage(unit: i32, successions: &[Succession]) -> Vec<Lineage> {
    let mut out = Vec::new();
    let mut stack: Vec<(i32, NaiveDate, bool)> = successions
        .iter()
        .filter(|s| s.successor == unit)
        .map(|s| {
            out.push(Lineage {
                unit: s.predecessor,
                until: s.on,
                arrived_on: s.on,
                whole: s.whole,
            });
            (s.predecessor, s.on, s.whole)
        })
        .collect();
    while let Some((from, arrived_on, whole)) = stack.pop() {
        for s in successions.iter().filter(|s| s.successor == from && s.on <= arrived_on) {
            if out.iter().any(|l| l.unit == s.predecessor) {
                continue;
            }
            out.push(Lineage {
                unit: s.predecessor,
                until: s.on,
                arrived_on,
                whole: whole && s.whole,
            });
            stack.push((s.predecessor, arrived_on, whole && s.whole));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::d;

    #[test]
    fn three_communes_merged_into_one() {
        let on = d(2025, 7, 1);
        let merged: Vec<Succession> = [1, 2, 3]
            .map(|p| Succession {
                predecessor: p,
                successor: 9,
                on,
                whole: true,
            })
            .to_vec();
        let mut units: Vec<i32> = lineage(9, &merged).iter().map(|l| l.unit).collect();
        units.sort_unstable();
        assert_eq!(units, [1, 2, 3]);
        assert!(lineage(9, &merged).iter().all(|l| l.until == on && l.arrived_on == on));
        // A predecessor has no lineage of its own from the merger.
        assert!(lineage(1, &merged).is_empty());
    }

    #[test]
    fn an_earlier_merger_passes_on_through_the_later_one() {
        let successions = [
            Succession {
                predecessor: 1,
                successor: 2,
                on: d(2019, 1, 1),
                whole: false,
            },
            Succession {
                predecessor: 2,
                successor: 3,
                on: d(2025, 7, 1),
                whole: true,
            },
        ];
        assert_eq!(
            lineage(3, &successions),
            [
                Lineage {
                    unit: 2,
                    until: d(2025, 7, 1),
                    arrived_on: d(2025, 7, 1),
                    whole: true,
                },
                // Split off in 2019: only what it handed on counts, not its own records.
                Lineage {
                    unit: 1,
                    until: d(2019, 1, 1),
                    arrived_on: d(2025, 7, 1),
                    whole: false,
                },
            ]
        );
        // A succession after the later one cannot pass on through it.
        let late = [
            successions[1],
            Succession {
                predecessor: 1,
                successor: 2,
                on: d(2026, 1, 1),
                whole: true,
            },
        ];
        assert_eq!(lineage(3, &late).len(), 1);
    }
}
