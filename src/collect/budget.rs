//! What a collection costs: the requests and input tokens a run would send
//! (`--dry-run`), and the tokens the server says it used (the summary).

use serde_json::Value;

use super::{ChatSettings, Prompt};

/// Tokens a chat message costs beyond its text (role, separators), about.
const PER_MESSAGE: usize = 4;

/// An estimate of a text's tokens for English-like text: one per four
/// bytes, rounded up (a tokenizer's exact count needs its vocabulary;
/// this is the usual rule of thumb, good to about 20%).
pub fn estimate_tokens(text: &str) -> usize {
    text.len().div_ceil(4)
}

/// What a run would send.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub requests: usize,
    /// Estimated input tokens of all requests (system message included).
    pub input_tokens: usize,
}

impl Plan {
    pub fn of(prompts: &[Prompt], settings: &ChatSettings) -> Plan {
        let system = settings
            .system
            .as_deref()
            .map_or(0, |s| estimate_tokens(s) + PER_MESSAGE);
        Plan {
            requests: prompts.len(),
            input_tokens: prompts
                .iter()
                .map(|p| system + estimate_tokens(&p.text) + PER_MESSAGE)
                .sum(),
        }
    }
}

/// Tokens the server reported in the answers' `usage`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// Answers that carried a `usage` object.
    pub answers: usize,
}

impl Usage {
    /// Adds one answer's `usage` (`prompt_tokens` and `completion_tokens`,
    /// or `input_tokens` and `output_tokens`); other shapes count nothing.
    pub fn add(&mut self, usage: Option<&Value>) {
        let Some(u) = usage.and_then(Value::as_object) else {
            return;
        };
        let field = |a: &str, b: &str| u.get(a).or_else(|| u.get(b)).and_then(Value::as_u64);
        let input = field("prompt_tokens", "input_tokens");
        let output = field("completion_tokens", "output_tokens");
        if input.is_some() || output.is_some() {
            self.input_tokens += input.unwrap_or(0);
            self.output_tokens += output.unwrap_or(0);
            self.answers += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn prompt(text: &str) -> Prompt {
        Prompt {
            id: "p".into(),
            text: text.into(),
            extra: Default::default(),
        }
    }

    #[test]
    fn plans() {
        let settings = |system: Option<&str>| ChatSettings {
            model: "m".into(),
            temperature: None,
            max_tokens: None,
            system: system.map(String::from),
        };
        // (prompts, system message, requests, input tokens)
        let cases: [(&[&str], Option<&str>, usize, usize); 4] = [
            (&[], None, 0, 0),
            (&["abcd"], None, 1, 1 + PER_MESSAGE),
            (&["abcde", "ab"], None, 2, 2 + 1 + 2 * PER_MESSAGE),
            (
                &["abcd", "abcd"],
                Some("12345678"),
                2,
                2 * (2 + 1 + 2 * PER_MESSAGE),
            ),
        ];
        for (texts, system, requests, tokens) in cases {
            let prompts: Vec<Prompt> = texts.iter().map(|t| prompt(t)).collect();
            let plan = Plan::of(&prompts, &settings(system));
            assert_eq!(
                plan,
                Plan {
                    requests,
                    input_tokens: tokens
                },
                "{texts:?} {system:?}"
            );
        }
    }

    #[test]
    fn usage_totals() {
        // (usage objects, input, output, answers counted)
        let cases = [
            (
                vec![json!({"prompt_tokens": 10, "completion_tokens": 5})],
                10,
                5,
                1,
            ),
            (
                vec![
                    json!({"input_tokens": 3, "output_tokens": 4}),
                    json!({"prompt_tokens": 1}),
                ],
                4,
                4,
                2,
            ),
            (
                vec![json!("n/a"), json!({"total_tokens": 9}), Value::Null],
                0,
                0,
                0,
            ),
        ];
        for (usages, input, output, answers) in cases {
            let mut u = Usage::default();
            for x in &usages {
                u.add(Some(x));
            }
            u.add(None);
            assert_eq!(
                u,
                Usage {
                    input_tokens: input,
                    output_tokens: output,
                    answers
                },
                "{usages:?}"
            );
        }
    }
}
