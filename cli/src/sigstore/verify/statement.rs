//! The in-toto statement of a DSSE payload, as far as the checks read it:
//! `_type`, `predicateType` and `subject`.
//!
//! The predicate (a whole CycloneDX BOM for strata's attestations) is
//! checked as JSON but never built: parsing it into a `serde_json::Value`
//! cost hundreds of allocations per bundle, a third of the gate's on a large
//! fleet. The parse accepts and rejects exactly what parsing the payload
//! into a `Value` does, with the same error, because every member goes
//! through the same deserializer calls: the skipped ones into [`Checked`],
//! which visits every string, number, array and object like `Value`'s
//! visitor but keeps nothing. As with a `Value` object, a repeated member
//! keeps its last value; a payload that is JSON but not an object has none
//! of the three.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The members of a statement the checks read.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Statement {
    /// `_type`.
    pub kind: Option<Value>,
    /// `predicateType`.
    pub predicate_type: Option<Value>,
    /// `subject`.
    pub subject: Option<Value>,
}

/// Parse a DSSE payload; errors are those of `serde_json::from_slice::<Value>`.
pub(crate) fn parse(payload: &[u8]) -> serde_json::Result<Statement> {
    serde_json::from_slice(payload)
}

impl<'de> Deserialize<'de> for Statement {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StatementVisitor)
    }
}

struct StatementVisitor;

impl<'de> Visitor<'de> for StatementVisitor {
    type Value = Statement;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Statement, A::Error> {
        let mut s = Statement::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "_type" => s.kind = Some(map.next_value()?),
                "predicateType" => s.predicate_type = Some(map.next_value()?),
                "subject" => s.subject = Some(map.next_value()?),
                _ => map.next_value::<Checked>().map(drop)?,
            }
        }
        Ok(s)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Statement, A::Error> {
        CheckedVisitor.visit_seq(seq).map(|_| Statement::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Statement, E> {
        Ok(Statement::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Statement, E> {
        Ok(Statement::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Statement, E> {
        Ok(Statement::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Statement, E> {
        Ok(Statement::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Statement, E> {
        Ok(Statement::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Statement, E> {
        Ok(Statement::default())
    }
}

/// Any JSON value, checked as `Value` would check it, and dropped.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_key::<Checked>()?.is_some() {
            map.next_value::<Checked>()?;
        }
        Ok(Checked)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Checked, E> {
        Ok(Checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the checks read from a payload parsed the old way.
    fn via_value(payload: &[u8]) -> Result<Statement, String> {
        let v: Value = serde_json::from_slice(payload).map_err(|e| e.to_string())?;
        Ok(Statement {
            kind: v.get("_type").cloned(),
            predicate_type: v.get("predicateType").cloned(),
            subject: v.get("subject").cloned(),
        })
    }

    #[test]
    fn accepts_rejects_and_reads_exactly_what_a_value_parse_does() {
        let deep = format!(
            "{{\"_type\":\"t\",\"predicate\":{}1{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let just_deep_enough = format!(
            "{{\"_type\":\"t\",\"predicate\":{}1{}}}",
            "[".repeat(126),
            "]".repeat(126)
        );
        let cases: Vec<Vec<u8>> = vec![
            br#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"ab"}}],"predicateType":"p","predicate":{"x":[1,2.5,-3,true,null,"s\u00e9"]}}"#.to_vec(),
            // Repeated members: the last one counts.
            br#"{"subject":[1],"_type":"a","subject":"last","_type":"b"}"#.to_vec(),
            // JSON, not an object.
            br#"[{"_type":"a"}]"#.to_vec(),
            b"\"text\"".to_vec(),
            b"12".to_vec(),
            b"null".to_vec(),
            // Broken JSON anywhere, in read or skipped members.
            br#"{"_type":"a","predicate":{"x":tru}}"#.to_vec(),
            br#"{"_type":"a","predicate":{"x":1e400}}"#.to_vec(),
            br#"{"_type":"a","predicate":{"x":"\ud800"}}"#.to_vec(),
            br#"{"_type":"a","predicate":{"x":"\q"}}"#.to_vec(),
            b"{\"_type\":\"a\",\"predicate\":{\"x\":\"tab\there\"}}".to_vec(),
            b"{\"_type\":\"a\",\"predicate\":{\"x\":\"\xff\"}}".to_vec(),
            b"{\"_type\":\"a\",\"predicate\":{\"\xff\":1}}".to_vec(),
            br#"{"_type":"a","predicate":{"x":1}} trailing"#.to_vec(),
            br#"{"_type":"a","predicate":{"x":1,}}"#.to_vec(),
            br#"{"_type":"a","predicate":{1:2}}"#.to_vec(),
            b"".to_vec(),
            deep.into_bytes(),
            just_deep_enough.into_bytes(),
        ];
        for payload in &cases {
            let ours = parse(payload).map_err(|e| e.to_string());
            assert_eq!(
                ours,
                via_value(payload),
                "{}",
                String::from_utf8_lossy(payload)
            );
        }
        assert_eq!(
            parse(&cases[1]).unwrap().subject,
            Some(Value::String("last".into()))
        );
        assert!(parse(cases.last().unwrap()).is_ok());
        assert!(parse(&cases[cases.len() - 2]).is_err(), "too deep");
    }
}
