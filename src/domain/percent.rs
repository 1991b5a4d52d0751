//! Percentages as published: always a numerator and a denominator, and a value the reader
//! asks for, truncated (as Vietnamese reports print them) or rounded, to N decimals.

/// How to cut a percentage to its decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Drop the digits past the last decimal (155.55… → 155.5).
    Truncate,
    /// Round half away from zero (155.55… → 155.6).
    Round,
}

/// A share `numerator / denominator` of something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: i64,
    pub denominator: i64,
}

/// Most decimals a percentage is given with.
pub const MAX_DECIMALS: u32 = 6;

impl Ratio {
    pub fn new(numerator: i64, denominator: i64) -> Ratio {
        Ratio { numerator, denominator }
    }

    /// The percentage with `decimals` decimals, as an integer count of 10^-decimals
    /// percent (155.5 % with 1 decimal is 1555); `None` when the denominator is 0.
    pub fn percent_scaled(self, decimals: u32, rounding: Rounding) -> Option<i128> {
        if self.denominator == 0 {
            return None;
        }
        let decimals = decimals.min(MAX_DECIMALS);
        let scaled = i128::from(self.numerator) * 100 * 10i128.pow(decimals);
        let den = i128::from(self.denominator);
        // Work on magnitudes so that truncation and rounding are symmetric around zero.
        let negative = (scaled < 0) != (den < 0);
        let (n, d) = (scaled.abs(), den.abs());
        let magnitude = match rounding {
            Rounding::Truncate => n / d,
            Rounding::Round => (2 * n + d) / (2 * d),
        };
        Some(if negative { -magnitude } else { magnitude })
    }

    /// The percentage as a number with `decimals` decimals.
    pub fn percent(self, decimals: u32, rounding: Rounding) -> Option<f64> {
        let decimals = decimals.min(MAX_DECIMALS);
        self.percent_scaled(decimals, rounding)
            .map(|v| v as f64 / 10f64.powi(decimals as i32))
    }

    /// The percentage as text with exactly `decimals` decimals and a point ("155.5").
    pub fn percent_text(self, decimals: u32, rounding: Rounding) -> Option<String> {
        let decimals = decimals.min(MAX_DECIMALS);
        let scaled = self.percent_scaled(decimals, rounding)?;
        let sign = if scaled < 0 { "-" } else { "" };
        let unit = 10i128.pow(decimals);
        let (whole, fraction) = (scaled.abs() / unit, scaled.abs() % unit);
        Some(if decimals == 0 {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction:0width$}", width = decimals as usize)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rounding::*;

    #[test]
    fn the_published_figures() {
        // A provincial city, 2016-2020: admitted against the year's target.
        assert_eq!(Ratio::new(140, 90).percent_text(1, Truncate).as_deref(), Some("155.5"));
        assert_eq!(Ratio::new(91, 90).percent_text(0, Truncate).as_deref(), Some("101"));
        assert_eq!(Ratio::new(73, 60).percent_text(1, Truncate).as_deref(), Some("121.6"));
        assert_eq!(Ratio::new(55, 60).percent_text(1, Truncate).as_deref(), Some("91.6"));
        // A border district, 2023.
        assert_eq!(Ratio::new(59, 60).percent_text(0, Truncate).as_deref(), Some("98"));
        assert_eq!(Ratio::new(37, 59).percent_text(1, Truncate).as_deref(), Some("62.7"));
        assert_eq!(Ratio::new(35, 59).percent_text(0, Truncate).as_deref(), Some("59"));
        assert_eq!(Ratio::new(6, 5).percent_text(0, Truncate).as_deref(), Some("120"));
        assert_eq!(Ratio::new(20, 25).percent_text(0, Truncate).as_deref(), Some("80"));
    }

    #[test]
    fn truncation_and_rounding_differ_where_they_should() {
        assert_eq!(Ratio::new(140, 90).percent(1, Round), Some(155.6));
        assert_eq!(Ratio::new(140, 90).percent(1, Truncate), Some(155.5));
        assert_eq!(Ratio::new(1, 3).percent_text(2, Round).as_deref(), Some("33.33"));
        assert_eq!(Ratio::new(2, 3).percent_text(2, Round).as_deref(), Some("66.67"));
        assert_eq!(Ratio::new(2, 3).percent_text(2, Truncate).as_deref(), Some("66.66"));
    }

    #[test]
    fn negative_changes_and_empty_denominators() {
        assert_eq!(Ratio::new(-20, 39).percent_text(1, Truncate).as_deref(), Some("-51.2"));
        assert_eq!(Ratio::new(-20, 39).percent_text(1, Round).as_deref(), Some("-51.3"));
        assert_eq!(Ratio::new(5, 0).percent(1, Truncate), None);
        assert_eq!(Ratio::new(0, 7).percent_text(1, Truncate).as_deref(), Some("0.0"));
    }
}
