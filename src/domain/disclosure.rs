//! Statistical disclosure control for reporting accounts: which cells of a breakdown are
//! withheld so that no figure identifies a person. Reporting integrations must never reach
//! personal data, and a cell of one — "the one woman of the Tày admitted in this branch in
//! March" — is personal data by inference.
//!
//! The rules, for a minimum cell size `min` (a setting per reporting account):
//! - **Primary suppression**: a count from 1 to `min − 1` is withheld. Zero is shown: it
//!   describes nobody.
//! - **Complementary suppression**: the total is shown, so the withheld cells of a
//!   dimension can be recovered as a group (total minus the shown cells); while that group
//!   sums to less than `min`, the smallest shown non-zero cell is withheld as well.
//! - **A small total** (1 to `min − 1`) withholds the whole breakdown, the total included.
//! - **A sum of cells** (women, minorities, aged 18–30…) is withheld when it or its
//!   complement is from 1 to `min − 1`, or when it would reveal part of a withheld group.

use std::collections::BTreeSet;

/// Which of `counts` are withheld (by index), with `total` shown beside them.
pub fn withheld_cells(counts: &[i64], total: i64, min: i64) -> BTreeSet<usize> {
    let small = |c: i64| c > 0 && c < min;
    if small(total) {
        return (0..counts.len()).filter(|&i| counts[i] > 0).collect();
    }
    let mut withheld: BTreeSet<usize> = (0..counts.len()).filter(|&i| small(counts[i])).collect();
    loop {
        let group: i64 = withheld.iter().map(|&i| counts[i]).sum();
        if withheld.is_empty() || group >= min {
            break;
        }
        let next = (0..counts.len())
            .filter(|i| !withheld.contains(i) && counts[*i] > 0)
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
    let small = |c: i64| c > 0 && c < min;
    if small(total) {
        return total > 0;
    }
    let sum: i64 = part.iter().map(|&i| counts[i]).sum();
    if small(sum) || small(total - sum) {
        return true;
    }
    // The part holds some withheld cells: shown, it tells their sum beside the shown ones.
    let inside: Vec<usize> = part.iter().copied().filter(|i| withheld.contains(i)).collect();
    let hidden_inside: i64 = inside.iter().map(|&i| counts[i]).sum();
    !inside.is_empty() && inside.len() < withheld.len() && small(hidden_inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[usize]) -> BTreeSet<usize> {
        items.iter().copied().collect()
    }

    #[test]
    fn small_cells_are_withheld_and_zero_is_shown() {
        assert_eq!(withheld_cells(&[10, 2, 0, 7], 19, 3), set(&[1, 3]));
        assert_eq!(withheld_cells(&[10, 3, 0, 7], 20, 3), set(&[]));
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
        assert_eq!(withheld_cells(&[1, 1, 0], 2, 3), set(&[0, 1]));
        assert!(part_withheld(&[1, 1], &set(&[0, 1]), &[0], 2, 3));
    }

    #[test]
    fn a_minimum_of_one_withholds_nothing() {
        assert_eq!(withheld_cells(&[1, 1, 5], 7, 1), set(&[]));
        assert!(!part_withheld(&[1, 1, 5], &set(&[]), &[0], 7, 1));
    }

    #[test]
    fn sums_that_reveal_a_person_are_withheld() {
        // Women 4 of 5: the one man is revealed by the complement.
        assert!(part_withheld(&[4, 1], &set(&[0, 1]), &[0], 5, 3));
        // Minorities = a withheld cell (1) + a shown one (9): shown, it reveals the 1.
        let counts = [9, 1, 2, 8];
        let withheld = withheld_cells(&counts, 20, 3);
        assert_eq!(withheld, set(&[1, 2]));
        assert!(part_withheld(&counts, &withheld, &[0, 1], 20, 3));
        // A sum covering every withheld cell reveals only their total, itself ≥ the minimum.
        assert!(!part_withheld(&counts, &withheld, &[1, 2, 3], 20, 3));
    }
}
