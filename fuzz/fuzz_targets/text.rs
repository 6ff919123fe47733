//! Normalisation, segmentation and the profile of any text: no panic, and
//! every token's offsets slice the text to the token on UTF-8 and UTF-16
//! boundaries; the normalised text maps back inside the original.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::profile::{Profile, ProfileOptions};
use lineage::text::{self, NormalForm, NormalizeOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(t) = std::str::from_utf8(data) else {
        return;
    };
    for tokens in [
        text::words(t),
        text::sentences(t),
        text::paragraphs(t),
        text::graphemes(t),
    ] {
        for tok in tokens {
            assert_eq!(&t[tok.span.start..tok.span.end], tok.text);
            assert_eq!(tok.span.start_utf16, text::utf16_len(&t[..tok.span.start]));
            assert_eq!(tok.span.end_utf16, text::utf16_len(&t[..tok.span.end]));
        }
    }
    for form in [NormalForm::Nfc, NormalForm::Nfkc, NormalForm::None] {
        for strip_zero_width in [false, true] {
            let opts = NormalizeOptions {
                form,
                strip_zero_width,
            };
            let n = text::normalize_with_offsets(t, &opts);
            assert_eq!(n.text, text::normalize(t, &opts));
            let (a, b) = n.original_span(0, n.text.len());
            assert!(a <= b && b <= t.len());
            assert!(t.is_char_boundary(a) && t.is_char_boundary(b));
        }
    }
    let options = ProfileOptions::default();
    let p = Profile::of_text(t, &options);
    assert!(p.words <= t.len());
});
