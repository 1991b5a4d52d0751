//! Statistical disclosure control for reporting accounts: which cells of a breakdown are
//! withheld so that no figure identifies a person. Reporting integrations must never reach
//! personal data, and a cell of one — "the one woman of the Tày admitted in this branch in
//! March" — is personal data by inference.
//!
//! The rules, for a minimum cell size `min` (a setting per reporting account):
//! - **Every value of a dimension is listed**, those with nobody included, so that which
//!   values occur says nothing.
//! - **Primary suppression**: a count below `min` is withheld, zero included: were zero
//!   shown, a withheld cell would mean "at least one".
//! - **Complementary suppression**: the total is shown, so the withheld cells of a
//!   dimension can be recovered as a group (total minus the shown cells); while that group
//!   sums to between 1 and `min − 1`, the smallest shown cell is withheld as well.
//! - **A small total** (1 to `min − 1`) withholds the whole breakdown, the total included.
//! - **A sum of cells** (women, minorities, aged 18–30…) is withheld when it or its
//!   complement is from 1 to `min − 1`, or when, shown, it would tell the sum of the
//!   withheld cells inside it or outside it and that sum is from 1 to `min − 1`.
//!
//! What this does not protect against is differencing across reports: two overlapping
//! periods or a unit against its children can isolate one person's admission. Reporting
//! accounts are meant for published aggregates; the README says so.

use std::collections::BTreeSet;

fn small(count: i64, min: i64) -> bool {
    count > 0 && count < min
}

/// Which of `counts` are withheld (by index), with `total` shown beside them.
pub fn withheld_cells(counts: &[i64], total: i64, min: i64) -> BTreeSet<usize> {
    if min <= 1 {
        return BTreeSet::new();
    }
    if small(total, min) {
        return (0..counts.len()).collect();
    }
    let mut withheld: BTreeSet<usize> = (0..counts.len()).filter(|&i| counts[i] < min).collect();
    loop {
        let group: i64 = withheld.iter().map(|&i| counts[i]).sum();
        if !small(group, min) {
            break;
        }
        let next = (0..counts.len())
            .filter(|i| !withheld.contains(i))
            .min_by_key(|&i| (counts[i], i));
        match next {
            Some(i) => {
                withheld.insert(i);
            }
            None => break,
        }
    }
    withheld
}

/// Whether the sum of the cells `part` (indexes into `counts`) must be withheld, given the
/// cells already withheld.
pub fn part_withheld(counts: &[i64], withheld: &BTreeSet<usize>, part: &[usize], total: i64, min: i64) -> bool {
    if min <= 1 {
        return false;
    }
    if small(total, min) {
        return true;
    }
    let sum: i64 = part.iter().map(|&i| counts[i]).sum();
    if small(sum, min) || small(total - sum, min) {
        return true;
    }
    let inside: i64 = withheld.iter().filter(|i| part.contains(i)).map(|&i| counts[i]).sum();
    let outside: i64 = withheld.iter().filter(|i| !part.contains(i)).map(|&i| counts[i]).sum();
    small(inside, min) || small(outside, min)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[usize]) -> BTreeSet<usize> {
        items.iter().copied().collect()
    }

    #[test]
    fn small_cells_and_zeros_are_withheld() {
        // 2 withheld; with the zero beside it the group is 2, so the 7 goes too.
        assert_eq!(withheld_cells(&[10, 2, 0, 7], 19, 3), set(&[1, 2, 3]));
        assert_eq!(withheld_cells(&[10, 3, 0, 7], 20, 3), set(&[2]));
    }

    #[test]
    fn one_withheld_cell_takes_the_next_smallest_with_it() {
        // 1 alone could be recovered as 18 − 10 − 7.
        assert_eq!(withheld_cells(&[10, 1, 7], 18, 3), set(&[1, 2]));
        // Two small cells summing to the minimum protect each other.
        assert_eq!(withheld_cells(&[10, 1, 2], 13, 3), set(&[1, 2]));
    }

    #[test]
    fn a_small_total_withholds_everything() {
        assert_eq!(withheld_cells(&[1, 1, 0], 2, 3), set(&[0, 1, 2]));
        assert!(part_withheld(&[1, 1, 0], &set(&[0, 1, 2]), &[0], 2, 3));
    }

    #[test]
    fn a_minimum_of_one_withholds_nothing() {
        assert_eq!(withheld_cells(&[1, 0, 5], 6, 1), set(&[]));
        assert!(!part_withheld(&[1, 0, 5], &set(&[]), &[0], 6, 1));
    }

    #[test]
    fn sums_that_reveal_a_person_are_withheld() {
        // Women 4 of 5: the one man is revealed by the complement.
        assert!(part_withheld(&[4, 1], &set(&[0, 1]), &[0], 5, 3));
        // Age bands 7, 1, 10: the 1 and the 7 are withheld; shown, the 7 alone would tell
        // the 1 (18 − 10 − 7).
        let counts = [7, 1, 10];
        let withheld = withheld_cells(&counts, 18, 3);
        assert_eq!(withheld, set(&[0, 1]));
        assert!(part_withheld(&counts, &withheld, &[0], 18, 3));
        // A sum covering every withheld cell tells only their total, itself ≥ the minimum.
        assert!(!part_withheld(&counts, &withheld, &[0, 1], 18, 3));
        assert!(!part_withheld(&counts, &withheld, &[0, 1, 2], 18, 3));
    }

    use proptest::prelude::*;

    proptest! {
        /// Whatever the counts: no shown cell is small, what the total lets a reader
        /// recover of the withheld cells is nobody or at least the minimum, and a shown
        /// sum reveals no small group either.
        #[test]
        fn nothing_shown_identifies_fewer_than_the_minimum(
            counts in proptest::collection::vec(0i64..8, 1..8),
            min in 2i64..5,
            part_mask in proptest::collection::vec(any::<bool>(), 8),
        ) {
            let total: i64 = counts.iter().sum();
            let withheld = withheld_cells(&counts, total, min);
            let small = |n: i64| n > 0 && n < min;
            if small(total) {
                prop_assert_eq!(withheld.len(), counts.len());
            }
            for (i, c) in counts.iter().enumerate() {
                if !withheld.contains(&i) {
                    prop_assert!(*c >= min, "shown cell {} of {:?}", i, counts);
                }
            }
            let group: i64 = withheld.iter().map(|&i| counts[i]).sum();
            prop_assert!(small(total) || !small(group), "group {} of {:?}", group, counts);
            let part: Vec<usize> = (0..counts.len()).filter(|&i| part_mask[i]).collect();
            if !part_withheld(&counts, &withheld, &part, total, min) {
                let sum: i64 = part.iter().map(|&i| counts[i]).sum();
                let inside: i64 = part.iter().filter(|i| withheld.contains(i)).map(|&i| counts[i]).sum();
                prop_assert!(!small(sum) && !small(total - sum));
                prop_assert!(!small(inside) && !small(group - inside));
            }
        }
    }
}
