//! A strict DER reader for the structures no crate covers (the Android
//! KeyDescription, TCG attribute certificates and their attributes, DICE
//! TcbInfo, Uptane DER metadata), built on the RustCrypto `der` primitives
//! that `x509-cert` uses for certificates.
//!
//! Strict means every rule of X.690 §10 that a lenient BER parser lets
//! through is an error here: indefinite lengths, non-minimal length or tag
//! encodings, BOOLEAN contents other than `0x00`/`0xFF`, INTEGERs with
//! redundant leading octets, non-minimal OBJECT IDENTIFIER arcs, SET OF
//! elements out of order, and trailing bytes. Every error carries the
//! absolute byte offset of the offending element so that a message can say
//! where the input is wrong.
//!
//! What `der` decodes: lengths ([`der::Length`]), BOOLEAN, INTEGER and
//! ENUMERATED, NULL, the character string types it validates (UTF8String,
//! PrintableString, IA5String, BMPString) and GeneralizedTime. What is
//! decoded here, and why:
//! - the identifier octets: `der` 0.7 reads tag numbers up to 30 only, and
//!   the Android AuthorizationList uses `[1]` to `[724]` (`der` 0.8 reads
//!   them, but the Sigstore crates pin 0.7, and a second `der` would bring a
//!   second `const-oid`, `spki` and `x509-cert` with it);
//! - the order of SET OF elements: `der` sorts them on decode instead of
//!   rejecting an unsorted set;
//! - OBJECT IDENTIFIERs: `const-oid` 0.9 accepts an arc padded with `0x80`
//!   (not DER) and refuses valid ones (under three octets, arcs over 32
//!   bits, a first arc over 2.47);
//! - navigation: field names and byte offsets in every message, and
//!   tolerance where a profile is commonly violated (the callers decide).

use std::fmt;

use ::der::asn1::{
    BmpString, GeneralizedTime, Ia5StringRef, IntRef, Null, PrintableStringRef, Utf8StringRef,
};
use ::der::{Decode, DecodeValue, ErrorKind, Header, Length, Reader as _, SliceReader, Tag};

/// Deepest nesting [`Reader::skip_any`] will follow, against stack
/// exhaustion on hostile input.
const MAX_DEPTH: usize = 64;

/// A DER decoding error: what was wrong and at which byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerError {
    /// Absolute byte offset of the element (or byte) at fault.
    pub offset: usize,
    /// What was wrong, in a phrase.
    pub what: String,
}

impl DerError {
    /// A new error at `offset`.
    pub fn new(offset: usize, what: impl Into<String>) -> Self {
        DerError {
            offset,
            what: what.into(),
        }
    }
}

impl fmt::Display for DerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.what, self.offset)
    }
}

/// Result of DER decoding.
pub type DerResult<T> = Result<T, DerError>;

/// ASN.1 tag class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// Universal types (INTEGER, SEQUENCE, ...).
    Universal,
    /// Application-specific.
    Application,
    /// Context-specific (`[n]`).
    Context,
    /// Private.
    Private,
}

/// Universal tag numbers used by strata's parsers.
pub mod tag {
    /// BOOLEAN.
    pub const BOOLEAN: u32 = 1;
    /// INTEGER.
    pub const INTEGER: u32 = 2;
    /// BIT STRING.
    pub const BIT_STRING: u32 = 3;
    /// OCTET STRING.
    pub const OCTET_STRING: u32 = 4;
    /// NULL.
    pub const NULL: u32 = 5;
    /// OBJECT IDENTIFIER.
    pub const OID: u32 = 6;
    /// ENUMERATED.
    pub const ENUMERATED: u32 = 10;
    /// UTF8String.
    pub const UTF8_STRING: u32 = 12;
    /// SEQUENCE / SEQUENCE OF.
    pub const SEQUENCE: u32 = 16;
    /// SET / SET OF.
    pub const SET: u32 = 17;
    /// PrintableString.
    pub const PRINTABLE_STRING: u32 = 19;
    /// IA5String.
    pub const IA5_STRING: u32 = 22;
    /// UTCTime.
    pub const UTC_TIME: u32 = 23;
    /// GeneralizedTime.
    pub const GENERALIZED_TIME: u32 = 24;
}

/// One decoded element: its identifier, contents, and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// Tag class.
    pub class: Class,
    /// Constructed (as opposed to primitive) encoding.
    pub constructed: bool,
    /// Tag number.
    pub tag: u32,
    /// The contents octets.
    pub content: &'a [u8],
    /// The whole encoding, identifier and length included.
    pub raw: &'a [u8],
    /// Absolute offset of the identifier octet.
    pub offset: usize,
    /// Absolute offset of the first contents octet.
    pub content_offset: usize,
}

/// Reads consecutive DER elements from a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `data`, whose first byte is at absolute offset `base`.
    pub fn new(data: &'a [u8], base: usize) -> Self {
        Reader { data, pos: 0, base }
    }

    /// A reader over the contents of `tlv`.
    pub fn inside(tlv: &Tlv<'a>) -> Self {
        Reader::new(tlv.content, tlv.content_offset)
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    /// Absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// Error unless every byte has been read.
    pub fn finish(&self, what: &str) -> DerResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DerError::new(
                self.offset(),
                format!("unexpected trailing data in {what}"),
            ))
        }
    }

    /// Decode the next element without consuming it.
    pub fn peek(&self) -> DerResult<Option<Tlv<'a>>> {
        if self.is_empty() {
            return Ok(None);
        }
        self.clone().read().map(Some)
    }

    /// Decode and consume the next element.
    pub fn read(&mut self) -> DerResult<Tlv<'a>> {
        let start = self.pos;
        let at = self.base + start;
        let first = *self
            .data
            .get(self.pos)
            .ok_or_else(|| DerError::new(at, "expected an element, found end of data"))?;
        self.pos += 1;
        let class = match first >> 6 {
            0 => Class::Universal,
            1 => Class::Application,
            2 => Class::Context,
            _ => Class::Private,
        };
        let constructed = first & 0x20 != 0;
        let mut tag = u32::from(first & 0x1f);
        if tag == 0x1f {
            tag = 0;
            let mut n = 0;
            loop {
                let b = *self
                    .data
                    .get(self.pos)
                    .ok_or_else(|| DerError::new(at, "truncated tag"))?;
                self.pos += 1;
                if n == 0 && b == 0x80 {
                    return Err(DerError::new(at, "tag number not minimally encoded"));
                }
                n += 1;
                if n > 4 {
                    return Err(DerError::new(at, "tag number too large"));
                }
                tag = (tag << 7) | u32::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
            }
            if tag < 0x1f {
                return Err(DerError::new(at, "tag number not minimally encoded"));
            }
        }
        let (len, n) = decode_length(&self.data[self.pos..]).map_err(|m| DerError::new(at, m))?;
        self.pos += n;
        let content_start = self.pos;
        let end = content_start
            .checked_add(len)
            .filter(|e| *e <= self.data.len())
            .ok_or_else(|| {
                DerError::new(
                    at,
                    format!(
                        "element claims {len} bytes but only {} remain",
                        self.data.len() - content_start
                    ),
                )
            })?;
        self.pos = end;
        Ok(Tlv {
            class,
            constructed,
            tag,
            content: &self.data[content_start..end],
            raw: &self.data[start..end],
            offset: at,
            content_offset: self.base + content_start,
        })
    }

    /// Read the next element and require a universal tag.
    pub fn expect(&mut self, tag_no: u32, what: &str) -> DerResult<Tlv<'a>> {
        let t = self.read().map_err(|e| e.context(what))?;
        t.expect_universal(tag_no, what)?;
        Ok(t)
    }

    /// Read the next element, which must be a SEQUENCE, and return a reader
    /// over its contents.
    pub fn sequence(&mut self, what: &str) -> DerResult<Reader<'a>> {
        let t = self.expect(tag::SEQUENCE, what)?;
        Ok(Reader::inside(&t))
    }

    /// Read the next element if it carries context tag `[n]`.
    pub fn optional_context(&mut self, n: u32) -> DerResult<Option<Tlv<'a>>> {
        match self.peek()? {
            Some(t) if t.class == Class::Context && t.tag == n => self.read().map(Some),
            _ => Ok(None),
        }
    }

    /// Check that an element and everything inside it is well-formed DER
    /// structure (used where the contents are opaque to strata).
    pub fn skip_any(&mut self) -> DerResult<Tlv<'a>> {
        let t = self.read()?;
        check_nested(&t, 0)?;
        Ok(t)
    }
}

fn check_nested(t: &Tlv<'_>, depth: usize) -> DerResult<()> {
    if depth > MAX_DEPTH {
        return Err(DerError::new(t.offset, "nesting too deep"));
    }
    if t.constructed {
        let mut r = Reader::inside(t);
        while !r.is_empty() {
            let c = r.read()?;
            check_nested(&c, depth + 1)?;
        }
    }
    Ok(())
}

/// The length octets at the start of `data` (with `der::Length`): the
/// length and how many octets encode it.
fn decode_length(data: &[u8]) -> Result<(usize, usize), &'static str> {
    let first = *data.first().ok_or("truncated length")?;
    let mut r = SliceReader::new(data).map_err(|_| "length too large")?;
    let len = match Length::decode(&mut r) {
        Ok(len) => len,
        // Beyond `der`'s 256 MiB limit, but minimally encoded: no input is
        // that long, and the caller says by how much it falls short.
        Err(e) if e.kind() == ErrorKind::Overflow => {
            let n = usize::from(first & 0x7f);
            let bytes = data.get(1..1 + n).ok_or("truncated length")?;
            let len = bytes.iter().fold(0usize, |a, b| (a << 8) | usize::from(*b));
            return Ok((len, 1 + n));
        }
        Err(e) => {
            return Err(match e.kind() {
                ErrorKind::IndefiniteLength => "indefinite length (BER, not DER) is not allowed",
                ErrorKind::Incomplete { .. } => "truncated length",
                ErrorKind::Overlength if first & 0x7f <= 4 => "length not minimally encoded",
                _ => "length too large",
            });
        }
    };
    let used = usize::try_from(r.position()).map_err(|_| "length too large")?;
    let len = usize::try_from(len).map_err(|_| "length too large")?;
    Ok((len, used))
}

impl DerError {
    /// Prefix the message with the element being read.
    pub fn context(mut self, what: &str) -> Self {
        self.what = format!("{what}: {}", self.what);
        self
    }
}

fn universal_name(tag_no: u32) -> String {
    match tag_no {
        tag::BOOLEAN => "BOOLEAN".into(),
        tag::INTEGER => "INTEGER".into(),
        tag::BIT_STRING => "BIT STRING".into(),
        tag::OCTET_STRING => "OCTET STRING".into(),
        tag::NULL => "NULL".into(),
        tag::OID => "OBJECT IDENTIFIER".into(),
        tag::ENUMERATED => "ENUMERATED".into(),
        tag::UTF8_STRING => "UTF8String".into(),
        tag::SEQUENCE => "SEQUENCE".into(),
        tag::SET => "SET".into(),
        tag::PRINTABLE_STRING => "PrintableString".into(),
        tag::IA5_STRING => "IA5String".into(),
        tag::UTC_TIME => "UTCTime".into(),
        tag::GENERALIZED_TIME => "GeneralizedTime".into(),
        n => format!("universal tag {n}"),
    }
}

impl<'a> Tlv<'a> {
    /// A short description of the identifier, e.g. `[704]` or `SEQUENCE`.
    pub fn describe(&self) -> String {
        match self.class {
            Class::Universal => universal_name(self.tag),
            Class::Context => format!("[{}]", self.tag),
            Class::Application => format!("[APPLICATION {}]", self.tag),
            Class::Private => format!("[PRIVATE {}]", self.tag),
        }
    }

    /// Error unless this is the universal type `tag_no` with the right
    /// primitive/constructed form.
    pub fn expect_universal(&self, tag_no: u32, what: &str) -> DerResult<()> {
        let constructed = matches!(tag_no, tag::SEQUENCE | tag::SET);
        if self.class != Class::Universal || self.tag != tag_no {
            return Err(DerError::new(
                self.offset,
                format!(
                    "{what}: expected {}, found {}",
                    universal_name(tag_no),
                    self.describe()
                ),
            ));
        }
        if self.constructed != constructed {
            return Err(DerError::new(
                self.offset,
                format!(
                    "{what}: {} must use the {} encoding in DER",
                    universal_name(tag_no),
                    if constructed {
                        "constructed"
                    } else {
                        "primitive"
                    }
                ),
            ));
        }
        Ok(())
    }

    /// Decode the contents with `der`'s rules for the type `T`; every
    /// contents octet must be used.
    fn value<T: DecodeValue<'a>>(&self, tag: Tag) -> ::der::Result<T> {
        let mut r = SliceReader::new(self.content)?;
        let header = Header::new(tag, self.content.len())?;
        let v = T::decode_value(&mut r, header)?;
        r.finish(v)
    }

    /// The value of a BOOLEAN: DER allows only `0x00` and `0xFF`.
    pub fn boolean(&self, what: &str) -> DerResult<bool> {
        self.expect_universal(tag::BOOLEAN, what)?;
        self.value::<bool>(Tag::Boolean)
            .map_err(|_| match self.content {
                [b] => DerError::new(
                    self.offset,
                    format!("{what}: BOOLEAN encoded as 0x{b:02X}; DER requires 0xFF for TRUE"),
                ),
                _ => DerError::new(self.offset, format!("{what}: BOOLEAN must be one byte")),
            })
    }

    /// The minimal two's-complement contents of an INTEGER or ENUMERATED.
    fn integer_bytes(&self, what: &str) -> DerResult<&'a [u8]> {
        if self.content.is_empty() {
            return Err(DerError::new(self.offset, format!("{what}: empty INTEGER")));
        }
        self.value::<IntRef<'a>>(Tag::Integer).map_err(|_| {
            DerError::new(
                self.offset,
                format!("{what}: INTEGER not minimally encoded"),
            )
        })?;
        Ok(self.content)
    }

    /// An INTEGER that must fit in an `i64`.
    pub fn int(&self, what: &str) -> DerResult<i64> {
        self.expect_universal(tag::INTEGER, what)?;
        self.small_int(what)
    }

    /// An ENUMERATED value.
    pub fn enumerated(&self, what: &str) -> DerResult<i64> {
        self.expect_universal(tag::ENUMERATED, what)?;
        self.small_int(what)
    }

    fn small_int(&self, what: &str) -> DerResult<i64> {
        if self.integer_bytes(what)?.len() > 8 {
            return Err(DerError::new(
                self.offset,
                format!("{what}: INTEGER does not fit in 64 bits"),
            ));
        }
        self.value::<i64>(Tag::Integer).map_err(|_| {
            DerError::new(
                self.offset,
                format!("{what}: INTEGER not minimally encoded"),
            )
        })
    }

    /// An INTEGER of any size, as its minimal big-endian two's-complement
    /// bytes (serial numbers).
    pub fn big_int(&self, what: &str) -> DerResult<&'a [u8]> {
        self.expect_universal(tag::INTEGER, what)?;
        self.integer_bytes(what)
    }

    /// The contents of an OCTET STRING.
    pub fn octets(&self, what: &str) -> DerResult<&'a [u8]> {
        self.expect_universal(tag::OCTET_STRING, what)?;
        Ok(self.content)
    }

    /// A NULL, which must be empty.
    pub fn null(&self, what: &str) -> DerResult<()> {
        self.expect_universal(tag::NULL, what)?;
        self.value::<Null>(Tag::Null)
            .map(|_| ())
            .map_err(|_| DerError::new(self.offset, format!("{what}: NULL must be empty")))
    }

    /// An OBJECT IDENTIFIER in dotted form.
    pub fn oid(&self, what: &str) -> DerResult<String> {
        self.expect_universal(tag::OID, what)?;
        oid_to_string(self.content).ok_or_else(|| {
            DerError::new(self.offset, format!("{what}: malformed OBJECT IDENTIFIER"))
        })
    }

    /// A GeneralizedTime, which DER and RFC 5280 require as
    /// `YYYYMMDDHHMMSSZ`.
    pub fn generalized_time(&self, what: &str) -> DerResult<crate::clock::Time> {
        self.expect_universal(tag::GENERALIZED_TIME, what)?;
        let bad = || {
            DerError::new(
                self.offset,
                format!(
                    "{what}: GeneralizedTime {:?} is not YYYYMMDDHHMMSSZ",
                    String::from_utf8_lossy(self.content)
                ),
            )
        };
        let t = self
            .value::<GeneralizedTime>(Tag::GeneralizedTime)
            .map_err(|_| bad())?;
        let secs = i64::try_from(t.to_unix_duration().as_secs()).map_err(|_| bad())?;
        crate::clock::Time::from_unix(secs).ok_or_else(bad)
    }

    /// A character string of any of the usual string types, as text. The
    /// types `der` knows are checked against their character sets.
    pub fn string(&self, what: &str) -> DerResult<String> {
        if self.class != Class::Universal {
            return Err(self.not_a_string(what));
        }
        let invalid = |kind: &str| DerError::new(self.offset, format!("{what}: invalid {kind}"));
        match self.tag {
            tag::UTF8_STRING => Utf8StringRef::new(self.content)
                .map(|s| s.to_string())
                .map_err(|_| invalid("UTF-8")),
            tag::PRINTABLE_STRING => PrintableStringRef::new(self.content)
                .map(|s| s.to_string())
                .map_err(|_| invalid("PrintableString")),
            tag::IA5_STRING => Ia5StringRef::new(self.content)
                .map(|s| s.to_string())
                .map_err(|_| invalid("IA5String")),
            // BMPString: UCS-2.
            30 => BmpString::from_ucs2(self.content)
                .map(|s| s.to_string())
                .map_err(|_| invalid("BMPString")),
            // TeletexString (`der` 0.7 reads only its ASCII part) and
            // VisibleString (no `der` type): as UTF-8.
            20 | 26 => std::str::from_utf8(self.content)
                .map(str::to_string)
                .map_err(|_| invalid("UTF-8")),
            _ => Err(self.not_a_string(what)),
        }
    }

    fn not_a_string(&self, what: &str) -> DerError {
        DerError::new(
            self.offset,
            format!("{what}: expected a string, found {}", self.describe()),
        )
    }

    /// The elements of a SET OF, checked to be in the ascending order DER
    /// requires (X.690 §11.6).
    pub fn set_of(&self, what: &str) -> DerResult<Vec<Tlv<'a>>> {
        self.expect_universal(tag::SET, what)?;
        let mut r = Reader::inside(self);
        let mut out: Vec<Tlv<'a>> = Vec::new();
        while !r.is_empty() {
            let t = r.read()?;
            if let Some(prev) = out.last()
                && der_order(prev.raw, t.raw) == std::cmp::Ordering::Greater
            {
                return Err(DerError::new(
                    t.offset,
                    format!("{what}: SET OF elements not in ascending DER order"),
                ));
            }
            out.push(t);
        }
        Ok(out)
    }
}

/// X.690 §11.6 ordering: compare as octet strings, the shorter padded with
/// trailing zero octets.
fn der_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        match x.cmp(&y) {
            std::cmp::Ordering::Equal => continue,
            o => return o,
        }
    }
    std::cmp::Ordering::Equal
}

/// Dotted text of an OID's contents octets; `None` when malformed
/// (including a subidentifier padded with a leading `0x80` octet).
pub fn oid_to_string(c: &[u8]) -> Option<String> {
    if c.is_empty() || c[c.len() - 1] & 0x80 != 0 {
        return None;
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut v: u64 = 0;
    let mut started = false;
    for b in c {
        if !started && *b == 0x80 {
            return None; // non-minimal subidentifier
        }
        started = true;
        v = v.checked_mul(128)? | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(v);
            v = 0;
            started = false;
        }
    }
    let first = arcs.first().copied()?;
    let (a, b) = match first {
        0..=39 => (0, first),
        40..=79 => (1, first - 40),
        _ => (2, first - 80),
    };
    let mut s = format!("{a}.{b}");
    for x in &arcs[1..] {
        s.push('.');
        s.push_str(&x.to_string());
    }
    Some(s)
}

/// Lowercase hex of an unsigned big-endian integer without leading zeros
/// (`"0"` for zero), the form Android status lists use for serials.
pub fn hex_unsigned(bytes: &[u8]) -> String {
    let h = hex::encode(bytes);
    let t = h.trim_start_matches('0');
    if t.is_empty() { "0".into() } else { t.into() }
}

/// DER builders for the unit tests of the readers.
#[cfg(test)]
pub(crate) mod build {
    /// An element with the identifier octet `tag` and `content` (definite
    /// length, up to 64 KiB).
    pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let n = content.len();
        let mut v = vec![tag];
        if n < 0x80 {
            v.push(n as u8);
        } else if n < 0x100 {
            v.extend([0x81, n as u8]);
        } else {
            v.extend([0x82, (n >> 8) as u8, n as u8]);
        }
        v.extend(content);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_high_tag_numbers() {
        // [704] EXPLICIT { NULL }: bf 85 40 02 05 00
        let d = [0xbf, 0x85, 0x40, 0x02, 0x05, 0x00];
        let t = Reader::new(&d, 0).read().expect("tlv");
        assert_eq!((t.class, t.tag, t.constructed), (Class::Context, 704, true));
        assert_eq!(t.content, &[0x05, 0x00]);
    }

    #[test]
    fn rejects_ber_forms() {
        for (bytes, why) in [
            (&[0x30, 0x80, 0x00, 0x00][..], "indefinite"),
            (&[0x04, 0x81, 0x01, 0x00][..], "length not minimally"),
            (&[0x9f, 0x05, 0x00][..], "tag number not minimally"),
            (&[0x04, 0x05, 0x00][..], "claims 5 bytes"),
        ] {
            let e = Reader::new(bytes, 0).read().expect_err(why);
            assert!(e.what.contains(why), "{e}");
        }
        let b = Reader::new(&[0x01, 0x01, 0x01], 0).read().expect("tlv");
        assert!(b.boolean("x").expect_err("0x01").what.contains("0x01"));
        let i = Reader::new(&[0x02, 0x02, 0x00, 0x05], 0)
            .read()
            .expect("tlv");
        assert!(i.int("x").is_err());
        let i = Reader::new(&[0x02, 0x02, 0x00, 0x85], 0)
            .read()
            .expect("tlv");
        assert_eq!(i.int("x").expect("int"), 0x85);
        let i = Reader::new(&[0x02, 0x01, 0xff], 0).read().expect("tlv");
        assert_eq!(i.int("x").expect("int"), -1);
    }

    #[test]
    fn set_of_must_be_sorted() {
        let ok = [0x31, 0x06, 0x02, 0x01, 0x02, 0x02, 0x01, 0x03];
        assert_eq!(
            Reader::new(&ok, 0)
                .read()
                .expect("t")
                .set_of("s")
                .expect("ok")
                .len(),
            2
        );
        let bad = [0x31, 0x06, 0x02, 0x01, 0x03, 0x02, 0x01, 0x02];
        let e = Reader::new(&bad, 0)
            .read()
            .expect("t")
            .set_of("s")
            .expect_err("order");
        assert_eq!(e.offset, 5);
    }

    fn tlv(bytes: &[u8]) -> Tlv<'_> {
        Reader::new(bytes, 0).read().expect("tlv")
    }

    #[test]
    fn length_forms() {
        for (bytes, why) in [
            (&[0x04, 0x82, 0x00, 0x01, 0x00][..], "length not minimally"),
            (
                &[0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00][..],
                "length too large",
            ),
            (&[0x04, 0x82, 0x01][..], "truncated length"),
            (&[0x04][..], "truncated length"),
        ] {
            let e = Reader::new(bytes, 0).read().expect_err(why);
            assert!(e.what.contains(why), "{e}");
        }
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        assert_eq!(tlv(&long).content.len(), 0x80);
    }

    #[test]
    fn integers_nulls_and_strings() {
        let e = tlv(&[0x02, 0x00]).int("x").expect_err("empty");
        assert!(e.what.contains("empty INTEGER"), "{e}");
        let e = tlv(&[0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0])
            .int("x")
            .expect_err("wide");
        assert!(e.what.contains("64 bits"), "{e}");
        assert_eq!(
            tlv(&[0x02, 0x09, 0x00, 0xff, 0, 0, 0, 0, 0, 0, 0])
                .big_int("x")
                .expect("serial")
                .len(),
            9
        );
        assert_eq!(tlv(&[0x0a, 0x01, 0x02]).enumerated("x").expect("enum"), 2);
        assert!(tlv(&[0x05, 0x00]).null("x").is_ok());
        assert!(tlv(&[0x05, 0x01, 0x00]).null("x").is_err());
        assert_eq!(
            tlv(&[0x0c, 0x02, b'h', b'i']).string("x").expect("utf8"),
            "hi"
        );
        assert!(tlv(&[0x0c, 0x01, 0xff]).string("x").is_err());
        // PrintableString has no `@`; IA5String is 7-bit.
        assert!(tlv(&[0x13, 0x01, b'@']).string("x").is_err());
        assert!(tlv(&[0x16, 0x01, 0xe9]).string("x").is_err());
        assert_eq!(
            tlv(&[0x1e, 0x02, 0x00, 0xe9]).string("x").expect("bmp"),
            "\u{e9}"
        );
        assert!(tlv(&[0x1e, 0x01, 0x00]).string("x").is_err());
        let e = tlv(&[0x04, 0x00]).string("x").expect_err("octets");
        assert!(e.what.contains("expected a string"), "{e}");
    }

    #[test]
    fn generalized_time_is_rfc5280_form() {
        let t = |s: &str| {
            let mut v = vec![0x18, s.len() as u8];
            v.extend(s.as_bytes());
            v
        };
        assert_eq!(
            tlv(&t("20190101000000Z"))
                .generalized_time("x")
                .expect("time")
                .to_string(),
            "2019-01-01T00:00:00Z"
        );
        for bad in [
            "201901010000Z",
            "20190101000000.5Z",
            "20190101000000+0100",
            "20191301000000Z",
        ] {
            let e = tlv(&t(bad)).generalized_time("x").expect_err(bad);
            assert!(e.what.contains("YYYYMMDDHHMMSSZ"), "{e}");
        }
    }

    #[test]
    fn oids() {
        assert_eq!(
            oid_to_string(&[0x2b, 0x06, 0x01, 0x04, 0x01, 0xd6, 0x79, 0x02, 0x01, 0x11]).as_deref(),
            Some("1.3.6.1.4.1.11129.2.1.17")
        );
        assert_eq!(hex_unsigned(&[0x00, 0x0c, 0xc6]), "cc6");
        // A subidentifier padded with 0x80, and too few octets.
        assert_eq!(oid_to_string(&[0x2b, 0x80, 0x01, 0x02]), None);
        assert_eq!(oid_to_string(&[0x2b, 0x06, 0x81]), None);
        assert_eq!(oid_to_string(&[]), None);
        assert!(tlv(&[0x06, 0x03, 0x2b, 0x80, 0x01]).oid("x").is_err());
    }
}
