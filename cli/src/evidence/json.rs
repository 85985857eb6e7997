//! Bounded JSON for evidence: a document is scanned before any tree is
//! built, and refused when one array or object holds more than
//! [`MAX_ENTRIES`] entries or the whole document more than [`MAX_VALUES`]
//! values. The scan allocates nothing that lives past one key, so a
//! 64 MiB file of a million Uptane targets is refused in the time it takes
//! to read its first ten thousand, and the tree built for an accepted one is
//! bounded by the caps, not by the input's shape.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::Malformed;
use crate::diag::Code;
pub use crate::fsutil::MAX_ENTRIES;

/// Most values (objects, arrays, strings, numbers, literals) one evidence
/// document may hold.
pub const MAX_VALUES: usize = 250_000;

/// Why a document was not read.
#[derive(Debug)]
pub enum JsonError {
    /// It is not JSON.
    Syntax(serde_json::Error),
    /// It holds more than strata judges (`too-many-entries`).
    Limit(Malformed),
}

impl JsonError {
    /// The error as a [`Malformed`], a syntax error told by `syntax`.
    pub fn or_syntax(self, syntax: impl FnOnce(serde_json::Error) -> Malformed) -> Malformed {
        match self {
            JsonError::Syntax(e) => syntax(e),
            JsonError::Limit(m) => m,
        }
    }
}

/// Parse `data` into a JSON value after checking it against the caps.
pub fn value(data: &[u8]) -> Result<Value, JsonError> {
    scan(data)?;
    serde_json::from_slice(data).map_err(JsonError::Syntax)
}

/// Check `data` against the caps without building it.
pub fn scan(data: &[u8]) -> Result<(), JsonError> {
    let state = RefCell::new(State::default());
    let mut de = serde_json::Deserializer::from_slice(data);
    let outcome = Scan { state: &state }
        .deserialize(&mut de)
        .and_then(|()| de.end());
    match outcome {
        Ok(()) => Ok(()),
        Err(e) => {
            let st = state.into_inner();
            match st.refusal {
                Some(message) => {
                    let pointer: String = st.trail.iter().rev().map(|t| format!("/{t}")).collect();
                    Err(JsonError::Limit(Malformed {
                        code: Code::TooManyEntries,
                        message,
                        offset: None,
                        pointer: Some(pointer),
                    }))
                }
                None => Err(JsonError::Syntax(e)),
            }
        }
    }
}

#[derive(Default)]
struct State {
    values: usize,
    /// Why the scan stopped, when a cap did.
    refusal: Option<String>,
    /// The pointer tokens to where it stopped, innermost first (filled in
    /// as the error unwinds, so nothing is kept while all is well).
    trail: Vec<String>,
}

struct Scan<'a> {
    state: &'a RefCell<State>,
}

impl Scan<'_> {
    fn count<E: de::Error>(&self) -> Result<(), E> {
        let mut st = self.state.borrow_mut();
        st.values += 1;
        if st.values > MAX_VALUES {
            st.refusal = Some(format!(
                "the document holds more than {MAX_VALUES} values; strata judges at most {MAX_VALUES} in one evidence file"
            ));
            return Err(E::custom("too many values"));
        }
        Ok(())
    }

    fn entries<E: de::Error>(&self, n: usize) -> Result<(), E> {
        if n > MAX_ENTRIES {
            self.state.borrow_mut().refusal = Some(format!(
                "more than {MAX_ENTRIES} entries in one list; strata judges at most {MAX_ENTRIES} entries in one file"
            ));
            return Err(E::custom("too many entries"));
        }
        Ok(())
    }

    /// Note `token` on the way out of a failed child.
    fn unwind<E>(&self, token: impl FnOnce() -> String, e: E) -> E {
        let mut st = self.state.borrow_mut();
        if st.refusal.is_some() {
            st.trail.push(token());
        }
        e
    }
}

impl<'de> DeserializeSeed<'de> for Scan<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! leaf {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name<E: de::Error>(self, _: $ty) -> Result<(), E> {
            self.count()
        })*
    };
}

impl<'de> Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    leaf!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.count()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.count()?;
        let mut n = 0usize;
        loop {
            let child = Scan { state: self.state };
            match seq.next_element_seed(child) {
                Ok(Some(())) => {}
                Ok(None) => return Ok(()),
                Err(e) => return Err(self.unwind(|| n.to_string(), e)),
            }
            n += 1;
            self.entries(n)?;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.count()?;
        let mut n = 0usize;
        while let Some(key) = map.next_key::<String>()? {
            let child = Scan { state: self.state };
            if let Err(e) = map.next_value_seed(child) {
                return Err(self.unwind(|| crate::yaml::escape_token(&key), e));
            }
            n += 1;
            self.entries(n)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_refused_with_their_pointer() {
        let targets: Vec<String> = (0..=MAX_ENTRIES)
            .map(|i| format!("\"t{i}\":{{\"length\":1}}"))
            .collect();
        let doc = format!("{{\"signed\":{{\"targets\":{{{}}}}}}}", targets.join(","));
        let Err(JsonError::Limit(m)) = value(doc.as_bytes()) else {
            panic!("not refused");
        };
        assert_eq!(m.code, Code::TooManyEntries);
        assert_eq!(m.pointer.as_deref(), Some("/signed/targets"));
        assert!(m.message.contains("10000"), "{}", m.message);
        let doc = format!("[{}]", vec!["1"; MAX_ENTRIES + 1].join(","));
        assert!(matches!(value(doc.as_bytes()), Err(JsonError::Limit(_))));
        let doc = format!("[{}]", vec!["1"; MAX_ENTRIES].join(","));
        assert_eq!(
            value(doc.as_bytes()).unwrap().as_array().unwrap().len(),
            MAX_ENTRIES
        );
    }

    #[test]
    fn many_values_in_short_lists_are_refused() {
        let inner = format!("[{}]", vec!["0"; 1000].join(","));
        let doc = format!(
            "[{}]",
            vec![inner.as_str(); MAX_VALUES / 1000 + 1].join(",")
        );
        let Err(JsonError::Limit(m)) = value(doc.as_bytes()) else {
            panic!("not refused");
        };
        assert!(m.message.contains("values"), "{}", m.message);
    }

    #[test]
    fn syntax_errors_stay_syntax_errors() {
        assert!(matches!(
            value(b"{\"a\": [1, 2}"),
            Err(JsonError::Syntax(_))
        ));
        assert!(matches!(value(b"{} {}"), Err(JsonError::Syntax(_))));
        assert_eq!(
            value(b"{\"a\": [1, {\"b\": null}]}").unwrap()["a"][1]["b"],
            Value::Null
        );
    }
}
