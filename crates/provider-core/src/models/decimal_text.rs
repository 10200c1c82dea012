//! A decimal's text, written without allocating.

use std::fmt;
use std::ops::Deref;

use rust_decimal::Decimal;

/// Room for the text of any [`Decimal`]: a sign, a point and 29 digits, or
/// `0.` and 28 (the smallest has 28 digits after the point).
const ROOM: usize = 40;

/// The text `Decimal::to_string` gives (`"8.00005"`, `"-0.50"`), held on
/// the stack: the bindings write the rates of a whole catalog at a time.
///
/// ```
/// use smmkit_provider_core::{Decimal, DecimalText};
/// let rate: Decimal = "25.0740".parse().unwrap();
/// assert_eq!(&*DecimalText::new(&rate), "25.0740");
/// ```
#[derive(Clone, Copy)]
pub struct DecimalText {
    buf: [u8; ROOM],
    start: usize,
}

impl DecimalText {
    /// The text of `d`, every digit of its scale kept.
    #[must_use]
    pub fn new(d: &Decimal) -> DecimalText {
        let mut buf = [b'0'; ROOM];
        let mut mantissa = d.mantissa().unsigned_abs();
        let scale = usize::try_from(d.scale()).unwrap_or(0);
        // Digits from the end, the point among them, then the sign.
        let mut at = ROOM;
        let mut written = 0;
        while mantissa > 0 || written <= scale {
            if written == scale && scale > 0 {
                at -= 1;
                buf[at] = b'.';
            }
            at -= 1;
            // A remainder below 10 is one digit.
            buf[at] = b'0' + u8::try_from(mantissa % 10).unwrap_or(0);
            mantissa /= 10;
            written += 1;
        }
        if d.is_sign_negative() {
            at -= 1;
            buf[at] = b'-';
        }
        DecimalText { buf, start: at }
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, a point and a sign are ever written.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or("0")
    }
}

impl Deref for DecimalText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for DecimalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for DecimalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    #[test]
    fn a_decimal_is_written_as_to_string_writes_it() {
        let mut cases: Vec<Decimal> = [
            "0",
            "-0",
            "0.00",
            "-0.00",
            "1",
            "10",
            "8.00005",
            "25.074",
            "0.0001",
            "100.50",
            "-3.25",
            "0.0000000000000000000000000001",
            "-0.0000000000000000000000000001",
        ]
        .iter()
        .map(|t| Decimal::from_str(t).expect("a decimal"))
        .collect();
        cases.extend([
            Decimal::MAX,
            Decimal::MIN,
            Decimal::ZERO,
            Decimal::ONE_HUNDRED,
        ]);
        for scale in 0..=28 {
            cases.push(Decimal::from_i128_with_scale(123_456_789, scale));
            cases.push(Decimal::new(-7, scale));
            cases.push(Decimal::from_i128_with_scale(
                Decimal::MAX.mantissa(),
                scale,
            ));
            cases.push(Decimal::from_i128_with_scale(
                Decimal::MIN.mantissa(),
                scale,
            ));
        }
        for d in cases {
            assert_eq!(DecimalText::new(&d).as_str(), d.to_string(), "{d:?}");
        }
    }
}
