//! `profile(text)` and the `Profile` class: a profile that stays in Rust
//! (every hashed n-gram table kept), merges like the core's
//! (`Profile::merge` sums counts) and pickles, so that a Spark job can
//! profile each partition and merge the results by source on other
//! machines.
//!
//! The JSON form of a profile (what `profile()` and `Profile.to_dict()`
//! return, the same as the JS package's) reduces the hashed tables to their
//! sizes, so it cannot be merged. Pickling uses [`State`]: the core's
//! lossless form (`lineage::profile::Lossless`, every field), written with
//! postcard.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use serde::{Deserialize, Serialize};

use lineage::profile::json::ProfileArgs;
use lineage::profile::Profile;
use lineage::{Error, ErrorKind};

use crate::{
    bad_argument, detached, from_json, list_arg, options_arg, py_error, text_arg, type_name,
};

/// Version of the pickled form; bytes of another version are refused.
/// 2: the core's `Lossless` field order (1 packed counts into arrays).
const STATE_VERSION: u8 = 2;

/// The stylometric profile of a text or of a source (many texts merged).
#[pyclass(module = "lineage._lineage", name = "Profile")]
#[derive(Default)]
pub struct PyProfile {
    inner: Profile,
}

fn json_of<'py>(py: Python<'py>, p: &Profile) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(p)
        .map_err(|e| py_error(py, Error::new(ErrorKind::Internal, e.to_string())))?;
    from_json(py, &json)
}

/// The profile of one text as a dict (camelCase, hashed tables as their
/// sizes): the JS package's `profile(text, options)`.
#[pyfunction]
#[pyo3(signature = (text, options = None))]
fn profile<'py>(
    py: Python<'py>,
    text: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let text = text_arg("profile: text", text)?;
    let opts = options_arg::<ProfileArgs>(py, "profile", options)?;
    let p = detached(py, move || Ok(Profile::of_text(&text, &opts)))?;
    json_of(py, &p)
}

#[pymethods]
impl PyProfile {
    /// The empty profile (the identity of `merge`).
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// The profile of one text.
    #[staticmethod]
    #[pyo3(signature = (text, options = None))]
    fn of_text(
        py: Python<'_>,
        text: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let text = text_arg("Profile.of_text: text", text)?;
        let opts = options_arg::<ProfileArgs>(py, "Profile.of_text", options)?;
        let inner = detached(py, move || Ok(Profile::of_text(&text, &opts)))?;
        Ok(Self { inner })
    }

    /// The profile of several texts taken as one source.
    #[staticmethod]
    #[pyo3(signature = (texts, options = None))]
    fn of_texts(
        py: Python<'_>,
        texts: &Bound<'_, PyAny>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let list = list_arg("Profile.of_texts: texts", " of str", texts)?;
        let texts: Vec<String> = list
            .iter()
            .enumerate()
            .map(|(i, t)| text_arg(&format!("Profile.of_texts: texts[{i}]"), &t))
            .collect::<PyResult<_>>()?;
        let opts = options_arg::<ProfileArgs>(py, "Profile.of_texts", options)?;
        let inner = detached(py, move || {
            Ok(Profile::of_texts(texts.iter().map(String::as_str), &opts))
        })?;
        Ok(Self { inner })
    }

    /// Merges many profiles at once (linear time; the same counts as
    /// folding them with `merge`).
    #[staticmethod]
    fn merge_all(py: Python<'_>, profiles: &Bound<'_, PyAny>) -> PyResult<Self> {
        let list = list_arg("Profile.merge_all: profiles", " of Profile", profiles)?;
        let mut refs = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let p = p.cast_into::<PyProfile>().map_err(|e| {
                bad_argument(
                    py,
                    format!(
                        "Profile.merge_all: profiles[{i}] must be a Profile, got {}",
                        type_name(e.into_inner().as_any())
                    ),
                )
            })?;
            refs.push(p.borrow());
        }
        let all: Vec<&Profile> = refs.iter().map(|r| &r.inner).collect();
        let inner = detached(py, move || Ok(Profile::merge_all(all)))?;
        Ok(Self { inner })
    }

    /// Adds another profile's counts into this one (in place).
    fn merge(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let Ok(other) = other.cast::<PyProfile>() else {
            return Err(bad_argument(
                py,
                format!(
                    "Profile.merge: other must be a Profile, got {}",
                    type_name(other)
                ),
            ));
        };
        // Merging a profile into itself doubles it: merge a copy.
        let copy = slf.is(other).then(|| other.borrow().inner.clone());
        let theirs = if copy.is_none() {
            Some(other.borrow())
        } else {
            None
        };
        let mut mine = slf.borrow_mut();
        let other: &Profile = copy
            .as_ref()
            .unwrap_or_else(|| &theirs.as_ref().expect("borrowed").inner);
        let inner = &mut mine.inner;
        detached(py, move || {
            inner.merge(other);
            Ok(())
        })
    }

    /// The profile as a dict (camelCase, hashed tables as their sizes),
    /// the same as `profile(text)` gives for one text.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_of(py, &self.inner)
    }

    /// The whole profile as bytes (what pickling uses).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let inner = &self.inner;
        let bytes = detached(py, move || {
            let out = vec![STATE_VERSION];
            postcard::to_extend(&State(inner.clone()), out)
                .map_err(|e| Error::new(ErrorKind::Internal, format!("Profile.to_bytes: {e}")))
        })?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A profile from `to_bytes()`; raises `BAD_ARGUMENT` for other bytes.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let Ok(data) = data.cast::<PyBytes>() else {
            return Err(bad_argument(
                py,
                format!(
                    "Profile.from_bytes: data must be bytes, got {}",
                    type_name(data)
                ),
            ));
        };
        let data = data.as_bytes();
        let inner = detached(py, move || match data.split_first() {
            Some((&STATE_VERSION, rest)) => postcard::from_bytes::<State>(rest)
                .map(|s| s.0)
                .map_err(|e| {
                    Error::new(
                        ErrorKind::BadArgument,
                        format!("Profile.from_bytes: not a profile: {e}"),
                    )
                }),
            _ => Err(Error::new(
                ErrorKind::BadArgument,
                format!("Profile.from_bytes: not a profile of format version {STATE_VERSION}"),
            )),
        })?;
        Ok(Self { inner })
    }

    /// Pickling: `Profile.from_bytes(profile.to_bytes())`.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let from_bytes = slf.get_type().getattr("from_bytes")?;
        Ok((from_bytes, (slf.borrow().to_bytes(slf.py())?,)))
    }

    /// Texts merged into this profile.
    #[getter]
    fn texts(&self) -> usize {
        self.inner.texts
    }

    /// Words of those texts.
    #[getter]
    fn words(&self) -> usize {
        self.inner.words
    }

    fn __repr__(&self) -> String {
        format!(
            "Profile(texts={}, words={}, pruned={})",
            self.inner.texts,
            self.inner.words,
            if self.inner.pruned { "True" } else { "False" }
        )
    }
}

/// The pickled form: the core's lossless serde form of a `Profile`.
#[derive(Serialize, Deserialize)]
struct State(#[serde(with = "lineage::profile::Lossless")] Profile);

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyProfile>()?;
    m.add_function(wrap_pyfunction!(profile, m)?)?;
    Ok(())
}
