//! Deterministic `ln` and `exp` built from IEEE-754 basic operations only.
//!
//! `f64::ln` and `f64::exp` call the platform's libm: glibc natively, a
//! musl port in wasm32. Both are accurate to about one ulp, but not always
//! to the *same* ulp, and the report must be byte-identical natively and in
//! the browser. Addition, multiplication, division, `sqrt`, `round` and bit
//! manipulation are exactly specified by IEEE 754, so functions written with
//! them alone give the same bits everywhere (Rust never fuses `a * b + c`).

/// High and low parts of ln 2 (fdlibm): `k * LN2_HI` is exact for |k| < 2^11.
const LN2_HI: f64 = 0.693_147_180_369_123_8; // bits 0x3fe62e42fee00000
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10; // bits 0x3dea39ef35793c76
const LOG2_E: f64 = std::f64::consts::LOG2_E;
const SQRT_2: f64 = std::f64::consts::SQRT_2;

/// Natural logarithm; NaN for negative input, -inf for zero.
pub fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    let mut bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64;
    if exponent == 0 {
        // Subnormal: scale by 2^54 so the mantissa is normalised.
        bits = (x * 18_014_398_509_481_984.0).to_bits();
        exponent = ((bits >> 52) & 0x7ff) as i64 - 54;
    }
    exponent -= 1023;
    // Mantissa in [1, 2), then folded into [sqrt(1/2), sqrt(2)).
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > SQRT_2 {
        m *= 0.5;
        exponent += 1;
    }
    // ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716: twelve odd terms
    // of the series leave an error below 1e-19.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut series = 0.0;
    for k in (0..12).rev() {
        series = 1.0 / (2 * k + 1) as f64 + s2 * series;
    }
    let e = exponent as f64;
    e * LN2_HI + (e * LN2_LO + 2.0 * s * series)
}

/// Exponential; saturates to +inf and 0 outside the range of `f64`.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.78 {
        return f64::INFINITY;
    }
    if x < -745.2 {
        return 0.0;
    }
    // x = k ln 2 + r with |r| <= ln2 / 2; Taylor to degree 13 leaves < 1e-17.
    let k = (x * LOG2_E).round();
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let mut p = 1.0;
    for i in (1..=13).rev() {
        p = 1.0 + r * p / i as f64;
    }
    scale_by_pow2(p, k as i32)
}

/// `2^k` for k in the normal range [-1022, 1023].
fn pow2(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `p * 2^k` without intermediate overflow or premature underflow.
fn scale_by_pow2(p: f64, k: i32) -> f64 {
    if k > 1023 {
        p * pow2(1023) * pow2(k - 1023)
    } else if k < -1022 {
        p * pow2(-1022) * pow2((k + 1022).max(-1022))
    } else {
        p * pow2(k)
    }
}

/// `ln(sum(exp(v)))`, computed stably; -inf for an empty slice.
pub fn log_sum_exp(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    let sum: f64 = values.iter().map(|v| exp(v - max)).sum();
    max + ln(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_matches_std_to_a_few_ulp() {
        for &x in &[
            1e-310,
            1e-300,
            1e-10,
            0.1,
            0.5,
            std::f64::consts::FRAC_1_SQRT_2,
            1.0,
            1.5,
            2.0,
            std::f64::consts::E,
            10.0,
            1e10,
            1e300,
        ] {
            let (a, b) = (ln(x), x.ln());
            assert!(
                (a - b).abs() <= 4.0 * f64::EPSILON * b.abs().max(1.0),
                "{x}: {a} vs {b}"
            );
        }
        assert_eq!(ln(1.0), 0.0);
        assert!(ln(-1.0).is_nan());
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn exp_matches_std_to_a_few_ulp() {
        for &x in &[
            -700.0, -20.0, -1.0, -1e-9, 0.0, 1e-9, 0.5, 1.0, 3.3, 50.0, 709.0,
        ] {
            let (a, b) = (exp(x), x.exp());
            assert!(
                (a - b).abs() <= 4.0 * f64::EPSILON * b.abs(),
                "{x}: {a} vs {b}"
            );
        }
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
    }

    #[test]
    fn log_sum_exp_is_stable() {
        assert!((log_sum_exp(&[1000.0, 1000.0]) - (1000.0 + 2f64.ln())).abs() < 1e-9);
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    }
}
