//! The HTML report's two charts, drawn as inline SVG: the candidates'
//! scores with their intervals, and the similarity of every pair of
//! sources. Sized from the labels' lengths (no measuring: a file has no
//! fonts to measure with), scaled to the page by `viewBox`.

use super::{Esc, Kinship, RankedCandidate};
use std::fmt::Write;

/// Longest label drawn, in characters; the whole name is the label's
/// tooltip (`<title>`) and is in the tables.
const LABEL: usize = 32;
/// A character's width in user units, a little above the average of a
/// 12px sans-serif font.
const CHAR: f64 = 7.0;

/// A name shortened to [`LABEL`] characters, escaped: the label drawn.
struct Label<'a>(&'a str);

impl std::fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.char_indices().nth(LABEL - 1) {
            Some((cut, _)) if self.0.chars().count() > LABEL => {
                write!(f, "{}…", Esc(&self.0[..cut]))
            }
            _ => write!(f, "{}", Esc(self.0)),
        }
    }
}

/// The width of the widest of `names`' labels, with `extra` characters.
fn label_width(names: &mut dyn Iterator<Item = &str>, extra: usize) -> f64 {
    let longest = names
        .map(|n| n.chars().count().min(LABEL))
        .max()
        .unwrap_or(0);
    (longest + extra) as f64 * CHAR + 16.0
}

fn open(s: &mut String, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        s,
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" \
role=\"img\" font-family=\"system-ui,sans-serif\" font-size=\"12\"><title>{}</title><desc>{}</desc>",
        Esc(title),
        Esc(desc)
    );
}

/// Each candidate's score as a dot (filled when it is in the confidence
/// set) on its interval, closest first, with the zero line.
pub(super) fn scores(s: &mut String, ranking: &[RankedCandidate]) {
    if ranking.is_empty() {
        return;
    }
    let left = label_width(&mut ranking.iter().map(|r| r.candidate.as_str()), 0);
    let (plot, row, top) = (360.0, 22.0, 10.0);
    let mut lo = ranking
        .iter()
        .map(|r| r.low.min(r.score))
        .fold(0.0_f64, f64::min);
    let mut hi = ranking
        .iter()
        .map(|r| r.high.max(r.score))
        .fold(0.0_f64, f64::max);
    if hi - lo < 1e-9 {
        lo -= 0.5;
        hi += 0.5;
    }
    let x = |v: f64| left + (v - lo) / (hi - lo) * plot;
    let height = top + row * ranking.len() as f64 + 24.0;
    open(
        s,
        left + plot + 16.0,
        height,
        "Score of each candidate with its interval",
        "Closest first; a filled dot is in the confidence set, a hollow one is ruled out.",
    );
    let bottom = height - 20.0;
    let _ = write!(
        s,
        "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top}\" y2=\"{bottom}\" stroke=\"#999\" stroke-dasharray=\"3 3\"/>",
        x(0.0)
    );
    for (i, r) in ranking.iter().enumerate() {
        let y = top + row * (i as f64 + 0.5);
        let fill = if r.in_set { "#1f4e99" } else { "#fff" };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}</text>\
<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#1f4e99\" stroke-width=\"2\"/>\
<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{fill}\" stroke=\"#1f4e99\" stroke-width=\"2\"/>",
            left - 8.0,
            y + 4.0,
            Esc(&r.candidate),
            Label(&r.candidate),
            x(r.low),
            x(r.high),
            x(r.score)
        );
    }
    // The zero line is labelled unless an end's label would overlap it.
    let zero_apart = (0.0 - lo).min(hi) / (hi - lo) > 0.12;
    for v in [lo, 0.0, hi] {
        if v == 0.0 && !zero_apart {
            continue;
        }
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#555\">{v:.2}</text>",
            x(v),
            height - 6.0
        );
    }
    s.push_str("</svg></figure>\n");
}

/// The similarity matrix as a grid of shaded cells, the value written in
/// each while the grid is small enough to read.
pub(super) fn kinship(s: &mut String, k: &Kinship) {
    let n = k.sources.len();
    // Rows are labelled "12. name": the number's width counts.
    let digits = n.to_string().len();
    let left = label_width(&mut k.sources.iter().map(String::as_str), digits + 2);
    let (cell, top) = (34.0, 20.0);
    let size = n as f64 * cell;
    open(
        s,
        left + size + 8.0,
        top + size + 8.0,
        "Similarity of every pair of sources",
        "Rows and columns are the numbered sources; darker cells are more alike.",
    );
    // Shades run from the least alike pair (off the diagonal) to 1.
    let mut min = 1.0_f64;
    for (i, row) in k.similarity.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if i != j {
                min = min.min(*v);
            }
        }
    }
    for (i, name) in k.sources.iter().enumerate() {
        let y = top + cell * i as f64;
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"><title>{}</title>{}. {}</text>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            left - 6.0,
            y + cell / 2.0 + 4.0,
            Esc(name),
            i + 1,
            Label(name),
            left + cell * (i as f64 + 0.5),
            top - 6.0,
            i + 1
        );
        for j in 0..n {
            let v = k
                .similarity
                .get(i)
                .and_then(|r| r.get(j))
                .copied()
                .unwrap_or(0.0);
            let t = if 1.0 - min > 1e-9 {
                ((v - min) / (1.0 - min)).clamp(0.0, 1.0)
            } else {
                1.0
            };
            let (r, g) = (255.0 - 225.0 * t, 255.0 - 175.0 * t);
            let x = left + cell * j as f64;
            let _ = write!(
                s,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell}\" height=\"{cell}\" fill=\"rgb({r:.0},{g:.0},{:.0})\" stroke=\"#fff\"/>",
                255.0 - 60.0 * t
            );
            if n <= 14 {
                let ink = if t > 0.55 { "#fff" } else { "#111" };
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{ink}\">{v:.2}</text>",
                    x + cell / 2.0,
                    y + cell / 2.0 + 3.5
                );
            }
        }
    }
    s.push_str("</svg></figure>\n");
}
