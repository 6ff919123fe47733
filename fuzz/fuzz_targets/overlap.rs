//! Winnowing and shared spans on any two texts and options: no panic, no
//! runaway time (the work bound), offsets on boundaries in both originals,
//! containment a share.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use lineage::signals::overlap::{
    containment, fingerprints, shared_spans, Boilerplate, OverlapOptions,
};
use lineage::text;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    a: &'a str,
    b: &'a str,
    k: u8,
    window: u8,
}

fn check(t: &str, s: &text::Span) {
    assert!(s.start <= s.end && s.end <= t.len());
    assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
    assert_eq!(s.start_utf16, text::utf16_len(&t[..s.start]));
    assert_eq!(s.end_utf16, text::utf16_len(&t[..s.end]));
}

fuzz_target!(|input: Input<'_>| {
    let opts = OverlapOptions {
        k: usize::from(input.k % 12) + 1,
        window: usize::from(input.window % 12) + 1,
    };
    for f in fingerprints(input.a, &opts) {
        check(input.a, &f.span);
    }
    let boilerplate = Boilerplate::from_sources(&[vec![input.a], vec![input.b]], &opts, 0.5);
    for bp in [Boilerplate::none(), boilerplate] {
        for s in shared_spans(input.a, input.b, &opts, &bp) {
            check(input.a, &s.a);
            check(input.b, &s.b);
            assert!(s.words >= opts.k);
        }
    }
    let c = containment(input.a, input.b, opts.k);
    assert!((0.0..=1.0).contains(&c));
});
