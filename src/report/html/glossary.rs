//! The report's words in plain language, for a reader who is not a
//! statistician (a lawyer, a journalist, a manager).

use super::Esc;
use std::fmt::Write;

/// The words of the report in plain language.
const GLOSSARY: [(&str, &str); 18] = [
    ("Suspect", "The model under examination: was it trained on another model's answers?"),
    ("Candidate", "A model the suspect may have learned from (a possible teacher). Only candidates given can be named."),
    ("Control", "A model known not to have learned from any candidate, answering the same prompts. All models resemble each other somewhat; the suspect must be closer to a candidate than the control is."),
    ("Vendor family", "Models of one maker (OpenAI, Anthropic, Meta, …). A claim names a family unless its models can be told apart."),
    ("Signal", "One way of measuring how alike two models write: frequent words, habits, shared passages, a classifier, the layout of answers."),
    ("Score in sd units", "A difference divided by the usual spread of the measure (its standard deviation, pooled over the sources), so that different signals can be added: 1 is one typical spread."),
    ("Interval", "The range a score moves in when the analysis is repeated on prompts drawn again at random from those given (bootstrap)."),
    ("p-value", "How often a difference this large would appear by chance alone if there were none. Below the significance level α it is called significant."),
    ("max-T", "A test over all candidates at once: the largest difference is compared with the largest that chance gives, so that many candidates do not produce a finding by luck."),
    ("Permutation test", "Chance is simulated by swapping which answer is the suspect's and which the control's, prompt by prompt, many times."),
    ("Confidence set", "The candidates that cannot be ruled out as the closest, at the stated confidence (1 − α)."),
    ("Effect", "The average difference per prompt divided by its spread: about 0.2 is small, 0.5 medium, 0.8 large."),
    ("Separability", "How well the candidates can be told apart from each other: the share of their answers a classifier trained on the others assigns to the right model. Near chance, no attribution is possible."),
    ("Specificity", "Whether the suspect's resemblance to the named family is more than the candidates' resemblance to one another explains. A teacher missing from the candidates tends to fail it."),
    ("Robustness check", "The analysis again with formatting (markdown, case, spacing) removed: a claim that does not survive rests on what a system prompt can change."),
    ("Identity leak", "A sentence in which a text presents itself as a model or vendor (\"As ChatGPT, …\"), wherever it appears."),
    ("Paired design", "Every model answered the same prompts, and answers are compared prompt by prompt; unpaired comparisons are weaker."),
    ("SHA-256", "A fingerprint of a file's bytes: changing one byte changes it. It shows the report was made from exactly these files."),
];

pub(super) fn write(s: &mut String) {
    s.push_str("<h2>Glossary</h2>\n<dl>\n");
    for (term, meaning) in GLOSSARY {
        let _ = writeln!(s, "<dt>{term}</dt><dd>{}</dd>", Esc(meaning));
    }
    s.push_str("</dl>\n");
}
