//! A workspace: samples gathered a few at a time (single samples, texts,
//! files read a chunk at a time, panels) with the inputs they came from
//! and their readers' warnings, analysed as often as wanted with other
//! roles. The JS package's `Workspace` (and its one-shot `analyze`) is a
//! thin wrapper around it; what it adds is only the reading of JS values
//! and streams.
//!
//! The workspace holds at most [`MAX_BYTES`] of text, the limit that
//! keeps a browser tab's memory safe; everything it refuses leaves it
//! unchanged.

use crate::analysis::{
    self, AnalysisOptions, AnalysisRequest, CrossValidate, Pending, Progress, Separability,
};
use crate::corpus::{self, AddResult, Format, InputOptions, LineError, Parsed, Sample};
use crate::error::{Error, ErrorKind};
use crate::options;
use crate::panel::Panel;
use crate::report::{InputFile, Report, Warning};
use serde_json::Value;
use std::collections::BTreeMap;

/// Most text (UTF-8 bytes) one analysis or one workspace may hold. The
/// analysis keeps several feature tables per text, a few times the text's
/// size, and a wasm32 instance has 4 GiB at most, shared with everything
/// else in the tab.
pub const MAX_BYTES: usize = 256 << 20;

/// Samples, the inputs they came from and the warnings about those inputs.
#[derive(Debug, Default)]
pub struct Workspace {
    samples: Vec<Sample>,
    inputs: Vec<InputFile>,
    warnings: Vec<Warning>,
    bytes: usize,
    /// Vendor families from the headers of the panels added (source →
    /// family): an analysis takes them as the user's word, under its
    /// options' own `families`, as `lineage analyze --panel` does.
    families: BTreeMap<String, String>,
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Samples held.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Every sample, in the order added.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    /// UTF-8 bytes of text held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// `TOO_LARGE` when `more` bytes on top of the text held would pass
    /// [`MAX_BYTES`].
    pub fn check_room(&self, more: usize) -> Result<(), Error> {
        if self.bytes.saturating_add(more) > MAX_BYTES {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "more than {} MiB of text (the module's limit)",
                    MAX_BYTES >> 20
                ),
            ));
        }
        Ok(())
    }

    /// Adds one sample, or refuses it past the limit.
    pub fn push(&mut self, sample: Sample) -> Result<(), Error> {
        self.check_room(sample.text.len())?;
        self.bytes += sample.text.len();
        self.samples.push(sample);
        Ok(())
    }

    /// A workspace holding `samples`, refused whole past the limit.
    pub fn of_samples(samples: Vec<Sample>) -> Result<Workspace, Error> {
        let mut ws = Workspace::new();
        samples.into_iter().try_for_each(|s| ws.push(s))?;
        Ok(ws)
    }

    /// Adds one sample and says what the workspace now holds.
    pub fn add(&mut self, sample: Sample) -> Result<AddResult, Error> {
        self.push(sample)?;
        Ok(self.result(1, &[]))
    }

    /// The name of the next input: `name` if given, else "input-N.`ext`"
    /// (N counts the inputs, this one included).
    pub fn input_name(&self, name: Option<String>, ext: &str) -> String {
        name.unwrap_or_else(|| format!("input-{}.{ext}", self.inputs.len() + 1))
    }

    /// Reads a whole JSON Lines or CSV text with the CLI's reader and adds
    /// its records, as [`add_parsed`](Self::add_parsed) does.
    pub fn add_text(
        &mut self,
        format: Format,
        text: &str,
        options: InputOptions,
    ) -> Result<AddResult, Error> {
        let ext = if format == Format::Csv {
            "csv"
        } else {
            "jsonl"
        };
        let name = self.input_name(options.name, ext);
        let parsed = corpus::read(&name, text.as_bytes(), format, options.source.as_deref());
        self.add_parsed(format, parsed)
    }

    /// Keeps what a reader parsed: the report will list the input and warn
    /// about what was skipped, as the CLI's does. Refused when not one
    /// record could be read ([`Parsed::refusal`]) or past the limit.
    pub fn add_parsed(&mut self, format: Format, parsed: Parsed) -> Result<AddResult, Error> {
        if let Some(e) = parsed.refusal(format) {
            return Err(e);
        }
        self.warnings.extend(parsed.report_warnings());
        let input = parsed.input_file();
        self.add_all(input, parsed.samples, &parsed.errors)
    }

    /// Adds the samples of one input read elsewhere (a panel), all or
    /// nothing; the report lists the input as the CLI's does.
    pub fn add_input(
        &mut self,
        input: InputFile,
        samples: Vec<Sample>,
    ) -> Result<AddResult, Error> {
        self.add_all(input, samples, &[])
    }

    /// Adds a panel's answers, all or nothing, and keeps its header's
    /// families for the analyses (a later panel's word over an earlier's).
    pub fn add_panel(&mut self, input: InputFile, panel: &Panel) -> Result<AddResult, Error> {
        let added = self.add_input(input, panel.samples())?;
        self.families.extend(panel.families());
        Ok(added)
    }

    /// The families the panels added so far name (source → family).
    pub fn families(&self) -> &BTreeMap<String, String> {
        &self.families
    }

    fn add_all(
        &mut self,
        input: InputFile,
        samples: Vec<Sample>,
        errors: &[LineError],
    ) -> Result<AddResult, Error> {
        let text_bytes: usize = samples.iter().map(|s| s.text.len()).sum();
        self.check_room(text_bytes)?;
        self.inputs.push(input);
        let added = samples.len();
        self.bytes += text_bytes;
        self.samples.extend(samples);
        Ok(self.result(added, errors))
    }

    fn result(&self, added: usize, errors: &[LineError]) -> AddResult {
        AddResult::new(added, errors, &self.samples)
    }

    /// `EMPTY_INPUT` when there is nothing to analyse.
    pub fn check_not_empty(&self) -> Result<(), Error> {
        if self.samples.is_empty() {
            return Err(Error::new(ErrorKind::EmptyInput, "there are no samples"));
        }
        Ok(())
    }

    /// Analyses the samples with the roles and parameters of one options
    /// object (read by [`crate::parameters::analysis_args`], named "options" in
    /// errors). The workspace keeps its samples.
    pub fn analyze(&mut self, options: Value, progress: Progress<'_>) -> Result<Report, Error> {
        self.with_request(options, |req, opts| analysis::analyze(req, opts, progress))
    }

    /// [`analysis::begin`] on the samples, leaving the classifier's
    /// cross-validation to [`Workspace::cross_validation`] elsewhere.
    pub fn begin(&mut self, options: Value, progress: Progress<'_>) -> Result<Pending, Error> {
        let plan = CrossValidate::Elsewhere;
        self.with_request(options, |req, opts| {
            analysis::begin(req, opts, plan, progress)
        })
    }

    /// [`analysis::cross_validation`] on the samples.
    pub fn cross_validation(&mut self, options: Value) -> Result<Option<Separability>, Error> {
        self.with_request(options, analysis::cross_validation)
    }

    /// Runs `f` on the request of these samples with the roles and
    /// parameters of `options` (a JSON object; its `null` fields are left
    /// out).
    fn with_request<T>(
        &mut self,
        options: Value,
        f: impl FnOnce(&AnalysisRequest, &AnalysisOptions) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.check_not_empty()?;
        if !options.is_object() {
            let got = options::json_type(&options);
            let message = format!(
                "options must be an object naming the suspect and the candidates, got {got}"
            );
            return Err(Error::new(ErrorKind::BadArgument, message));
        }
        let options = options::object_of("options", options)?;
        let (roles, opts) = crate::parameters::analysis_args("options", options)?;
        let mut families = self.families.clone();
        families.extend(roles.families);
        let mut request = AnalysisRequest {
            // Moved in and back, so the texts are never copied.
            samples: std::mem::take(&mut self.samples),
            suspect: roles.suspect,
            candidates: roles.candidates,
            control: roles.control,
            families,
            inputs: self.inputs.clone(),
            input_warnings: self.warnings.clone(),
            size_limits: corpus::SizeLimits::default(),
        };
        let result = f(&request, &opts);
        self.samples = std::mem::take(&mut request.samples);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(source: &str, text: &str) -> Sample {
        Sample::new(source, None, text)
    }

    #[test]
    fn inputs_are_named_counted_and_refused_whole() {
        let mut ws = Workspace::new();
        let added = ws.add(sample("a", "one two")).unwrap();
        assert_eq!((added.added, added.total), (1, 1));
        let text = "{\"source\": \"b\", \"text\": \"x\"}\nnot json\n";
        let added = ws
            .add_text(Format::Jsonl, text, InputOptions::default())
            .unwrap();
        assert_eq!((added.added, added.malformed, added.total), (1, 1, 2));
        assert_eq!(added.sources, ["a", "b"]);
        assert_eq!(ws.input_name(None, "csv"), "input-2.csv");
        assert_eq!(ws.bytes(), "one two".len() + 1);

        // (input, kind of the refusal): the workspace is unchanged after each.
        let cases = [("", ErrorKind::EmptyInput), ("nope\n", ErrorKind::BadJsonl)];
        for (text, kind) in cases {
            let e = ws
                .add_text(Format::Jsonl, text, InputOptions::default())
                .unwrap_err();
            assert_eq!(e.kind(), kind, "{e}");
            assert_eq!(ws.len(), 2);
        }
        let e = ws.check_room(MAX_BYTES).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::TooLarge);
        assert_eq!(
            e.message(),
            "more than 256 MiB of text (the module's limit)"
        );
    }

    #[test]
    fn panel_families_reach_the_analysis_under_the_options_own() {
        use crate::panel::{build, BuildOptions};
        let w = |source: &'static str| {
            (0..6).map(move |i| {
                let text =
                    format!("{source} writes answer {i} in its own way, with words of its own.");
                Sample::new(source, Some(&format!("p{i}")), text)
            })
        };
        let records = ["A", "B", "C"]
            .into_iter()
            .flat_map(w)
            .map(Into::into)
            .collect();
        let opts = BuildOptions {
            families: [("A", "vendor"), ("B", "vendor")]
                .map(|(s, f)| (s.to_string(), f.to_string()))
                .into(),
            ..Default::default()
        };
        let (panel, _) = build(records, &opts).unwrap();
        let mut ws = Workspace::new();
        let input = panel.input_file("p.lineage.jsonl.gz".into(), String::new());
        ws.add_panel(input, &panel).unwrap();
        w("student").for_each(|s| ws.push(s).unwrap());
        assert_eq!(ws.families(), &panel.families());
        let quick = serde_json::json!({
            "suspect": "student", "candidates": ["A", "B", "C"],
            "bootstrapReps": 10, "permutationReps": 10, "robustness": false,
        });
        // (the options' own families; each candidate's family and where it came from)
        let cases = [
            (
                serde_json::json!({}),
                [("vendor", "user"), ("vendor", "user"), ("C", "own")],
            ),
            (
                serde_json::json!({"B": "Mine"}),
                [("vendor", "user"), ("mine", "user"), ("C", "own")],
            ),
        ];
        for (said, want) in cases {
            let mut options = quick.clone();
            options["families"] = said.clone();
            let report = ws.analyze(options, &mut |_, _| {}).unwrap();
            let got: Vec<(String, String)> = report
                .sources
                .iter()
                .filter(|s| s.role == "candidate")
                .map(|s| {
                    let from = serde_json::to_value(s.family_from).unwrap();
                    (
                        s.family.clone().unwrap(),
                        from.as_str().unwrap().to_string(),
                    )
                })
                .collect();
            let want: Vec<(String, String)> = want
                .map(|(f, from)| (f.to_string(), from.to_string()))
                .into();
            assert_eq!(got, want, "{said}");
        }
    }

    #[test]
    fn analyze_checks_samples_then_options_and_keeps_the_samples() {
        let mut ws = Workspace::new();
        let none = ws.analyze(serde_json::json!({}), &mut |_, _| {});
        assert_eq!(none.unwrap_err().kind(), ErrorKind::EmptyInput);
        ws.push(sample("a", "text")).unwrap();
        let bad = ws.analyze(serde_json::json!({}), &mut |_, _| {});
        let e = bad.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadArgument);
        assert!(e.message().starts_with("options: missing field"), "{e}");
        assert_eq!(ws.samples(), [sample("a", "text")]);
    }
}
