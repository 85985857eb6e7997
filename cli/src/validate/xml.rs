//! CycloneDX XML (1.2–1.7): parsed and validated against the official XSDs
//! by libxml2 (through the maintained `libxml` binding), the same engine
//! cyclonedx-python-lib uses through lxml.
//!
//! Hostile input: documents are limited to [`MAX_XML_BYTES`]; a DOCTYPE is
//! refused before parsing (no DTD, no entities, internal or external); the
//! parser runs with network access off, no entity substitution, no DTD
//! loading and libxml2's default limits (nesting depth 256, text node
//! size); and every URL libxml2 would load is answered from memory: the
//! XSDs' `http://cyclonedx.org/schema/spdx` import with the embedded SPDX
//! schema, anything else with nothing. Nothing touches the network or the
//! disk.
//!
//! The XSD enforces unique `bom-ref`s; the semantic pass adds dependency
//! and composition references that name no `bom-ref` (warnings unless
//! `--strict`).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Once;

use libxml::error::{StructuredError, XmlErrorLevel};
use libxml::parser::{Parser, ParserOptions, XmlParseFailure};
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use libxml::tree::{Document, Node, NodeType};

use super::{ComponentSummary, Format, Options, Report, unsupported_format};
use crate::diag::{Code, Diagnostic, Error, Position, Result, Severity};
use crate::validate::SpecVersion;

/// Largest XML document validated: 64 MiB (the structured-input cap). A
/// libxml2 tree takes several times its text, so XML is held to less than
/// JSON.
pub const MAX_XML_BYTES: u64 = crate::fsutil::MAX_INPUT_BYTES;

/// The SPDX license XSD the CycloneDX XSDs import.
const SPDX_XSD: &str = include_str!("../../../schemas/cyclonedx/spdx.xsd");

/// Where the CycloneDX XSDs say the SPDX XSD is.
const SPDX_XSD_LOCATIONS: [&str; 2] = [
    "http://cyclonedx.org/schema/spdx",
    "https://cyclonedx.org/schema/spdx",
];

/// Schema errors beyond this many are counted, not listed.
const MAX_SCHEMA_ERRORS: usize = 1000;

const RDF_NAMESPACE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// What every other URL libxml2 tries to load gets: an empty XML catalog.
/// libxml2 reads its default catalog (`file:///etc/xml/catalog`) before it
/// resolves the XSDs' import; an empty one maps nothing, and anything else
/// (there is nothing else: DOCTYPEs are refused, DTDs never loaded) reads
/// as a document that is no DTD, entity or schema.
const EMPTY_CATALOG: &str =
    r#"<?xml version="1.0"?><catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>"#;

/// Answer every URL libxml2 tries to load from memory, once per process.
fn install_resolver() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        libxml::io::register_input_callback(
            |_| true,
            |url| {
                let text = if SPDX_XSD_LOCATIONS.contains(&url) {
                    SPDX_XSD
                } else {
                    EMPTY_CATALOG
                };
                Some(text.as_bytes().to_vec())
            },
        );
    });
}

thread_local! {
    /// Compiled XSD validators of this thread (libxml2 contexts are not
    /// shared between threads), built on first use.
    static VALIDATORS: RefCell<HashMap<SpecVersion, SchemaValidationContext>> =
        RefCell::new(HashMap::new());
}

/// Validate the XML text `bytes` (read from `path`).
///
/// Errors (exit 2) when the text is too large, carries a DOCTYPE, is not
/// well-formed XML, or is an SPDX RDF document; otherwise the report says
/// whether it is a valid CycloneDX XML BOM.
pub fn validate(path: &Path, bytes: &[u8], opts: &Options) -> Result<Report> {
    if bytes.len() as u64 > MAX_XML_BYTES {
        return Err(Error::invalid(
            Diagnostic::error(
                Code::InputTooLarge,
                format!(
                    "the XML document is larger than the {} MiB limit for XML",
                    MAX_XML_BYTES / (1024 * 1024)
                ),
            )
            .in_file(path)
            .help("JSON BOMs may be larger (up to 1 GiB); convert the BOM to CycloneDX JSON"),
        ));
    }
    if let Some(position) = doctype_in_prolog(bytes) {
        return Err(doctype_error(path, Some(position)));
    }
    install_resolver();
    let doc = parse(path, bytes)?;
    let has_dtd = doc.as_node().get_child_nodes().iter().any(|n| {
        matches!(
            n.get_type(),
            Some(NodeType::DTDNode | NodeType::DocumentTypeNode)
        )
    });
    if has_dtd {
        return Err(doctype_error(path, None));
    }
    let Some(root) = doc.get_root_element() else {
        return Err(Error::invalid(
            Diagnostic::error(Code::XmlSyntax, "the XML document has no root element")
                .in_file(path),
        ));
    };
    let ns = root
        .get_namespace()
        .map(|n| n.get_href())
        .unwrap_or_default();
    let name = root.get_name();
    if ns == RDF_NAMESPACE {
        let what = if String::from_utf8_lossy(bytes).contains("http://spdx.org/rdf/terms") {
            "SPDX RDF/XML"
        } else {
            "RDF/XML"
        };
        return Err(unsupported_format(path, what));
    }
    let mut report = Report::new(path, Format::CyclonedxXml);
    let version = match cyclonedx_version(&name, &ns) {
        Ok(v) => v,
        Err((version, d)) => {
            report.spec_version = version;
            report.diagnostics.push(d.in_file(path));
            return Ok(report);
        }
    };
    report.spec_version = Some(version.as_str().to_string());
    report.serial_number = root.get_attribute_no_ns("serialNumber");
    let cdx = Cdx { ns: &ns };
    report.metadata_component = cdx.metadata_component(&root);
    report.component_count = cdx.count_components(&root);
    let errors = schema_errors(version, &doc)?;
    let total = errors.len();
    report.diagnostics.extend(
        errors
            .iter()
            .take(MAX_SCHEMA_ERRORS)
            .map(|e| schema_diagnostic(e, version, bytes)),
    );
    if total > MAX_SCHEMA_ERRORS {
        report.diagnostics.push(Diagnostic::error(
            Code::SchemaXsd,
            format!("{} more XSD errors not listed", total - MAX_SCHEMA_ERRORS),
        ));
    }
    let severity = if opts.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    report
        .diagnostics
        .extend(cdx.dangling_refs(&root, severity));
    for d in &mut report.diagnostics {
        d.file = Some(path.to_path_buf());
    }
    Ok(report)
}

/// Parse with network off, no entity substitution, no DTD loading and
/// libxml2's default limits; any error or fatal error refuses the text.
fn parse(path: &Path, bytes: &[u8]) -> Result<Document> {
    let options = ParserOptions {
        recover: false,
        no_net: true,
        huge: false,
        no_error: true,
        no_warning: true,
        ..ParserOptions::default()
    };
    let syntax = |errors: &[StructuredError]| {
        let first = errors
            .iter()
            .find(|e| matches!(e.level, XmlErrorLevel::Error | XmlErrorLevel::Fatal));
        let message = first
            .and_then(|e| e.message.as_deref())
            .map_or("libxml2 gave no reason", str::trim);
        let d = Diagnostic::error(Code::XmlSyntax, format!("not well-formed XML: {message}"))
            .in_file(path)
            .at(first.and_then(position));
        Error::invalid(d)
    };
    match Parser::default().parse_string_with_diagnostics(bytes, options) {
        Ok((doc, diagnostics)) => {
            if diagnostics
                .iter()
                .any(|e| matches!(e.level, XmlErrorLevel::Error | XmlErrorLevel::Fatal))
            {
                return Err(syntax(&diagnostics));
            }
            Ok(doc)
        }
        Err(XmlParseFailure::ParseFailed(diagnostics)) => Err(syntax(&diagnostics)),
        Err(other) => Err(Error::invalid(
            Diagnostic::error(
                Code::XmlSyntax,
                format!("the XML could not be parsed: {other}"),
            )
            .in_file(path),
        )),
    }
}

fn position(e: &StructuredError) -> Option<Position> {
    let line = usize::try_from(e.line?).ok().filter(|&l| l > 0)?;
    let column = e
        .col
        .and_then(|c| usize::try_from(c).ok())
        .filter(|&c| c > 0)
        .unwrap_or(1);
    Some(Position { line, column })
}

/// libxml2 2.9 gives schema errors a line but no column: find the column of
/// the element the message names (`Element 'hash'`) on that line, in UTF-8
/// text. The first start tag of that name on the line, with or without a
/// namespace prefix; otherwise the position is kept as it is.
fn element_column(text: &[u8], p: Position, message: &str) -> Position {
    let Some(name) = message
        .strip_prefix("Element '")
        .and_then(|rest| rest.split('\'').next())
    else {
        return p;
    };
    let Some(line) = text.split(|&b| b == b'\n').nth(p.line - 1) else {
        return p;
    };
    let Ok(line) = std::str::from_utf8(line) else {
        return p;
    };
    let found = line.match_indices('<').find(|(i, _)| {
        let tag = &line[i + 1..];
        let local = tag
            .split([' ', '>', '/', '\t', '\r'])
            .next()
            .map(|t| t.rsplit(':').next().unwrap_or(t));
        local == Some(name)
    });
    match found {
        Some((i, _)) => Position {
            line: p.line,
            column: line[..i].chars().count() + 1,
        },
        None => p,
    }
}

fn doctype_error(path: &Path, position: Option<Position>) -> Error {
    Error::invalid(
        Diagnostic::error(
            Code::XmlDoctype,
            "the XML document has a DOCTYPE declaration, which strata refuses",
        )
        .in_file(path)
        .at(position)
        .help("CycloneDX XML needs no DTD; remove the <!DOCTYPE ...> declaration (and any entities it defines)"),
    )
}

/// The spec version of a root element `name` in namespace `ns`, or why it
/// has none (with the version text to report, if any).
#[allow(clippy::result_large_err)]
fn cyclonedx_version(
    name: &str,
    ns: &str,
) -> std::result::Result<SpecVersion, (Option<String>, Diagnostic)> {
    let supported = "strata validates CycloneDX XML 1.2, 1.3, 1.4, 1.5, 1.6 and 1.7";
    let written = ns.strip_prefix("http://cyclonedx.org/schema/bom/");
    if name != "bom" {
        return Err((
            None,
            Diagnostic::error(
                Code::NotABom,
                format!("the root element is `{name}`, not a CycloneDX `bom`"),
            )
            .help(supported),
        ));
    }
    if let Some(v) = SpecVersion::from_xml_namespace(ns) {
        return Ok(v);
    }
    let (version, message) = match written {
        Some(v) => (
            Some(v.to_string()),
            format!("CycloneDX XML version `{v}` (namespace `{ns}`) is not supported"),
        ),
        None if ns.is_empty() => (
            None,
            "the `bom` element has no namespace, so its CycloneDX version is unknown".to_string(),
        ),
        None => (
            None,
            format!("the `bom` element's namespace `{ns}` is not a CycloneDX namespace"),
        ),
    };
    Err((
        version,
        Diagnostic::error(Code::UnsupportedSpecVersion, message).help(format!(
            "the namespace names the version, e.g. xmlns=\"http://cyclonedx.org/schema/bom/1.6\"; {supported}"
        )),
    ))
}

/// Compile the embedded XSD of `version` (its SPDX import is answered by
/// the resolver).
fn compile_xsd(version: SpecVersion) -> Result<SchemaValidationContext> {
    let mut parser = SchemaParserContext::from_buffer(version.xsd_source());
    SchemaValidationContext::from_parser(&mut parser).map_err(|errors| {
        let first = errors
            .first()
            .and_then(|e| e.message.clone())
            .unwrap_or_default();
        Error::invalid(
            Diagnostic::error(
                Code::EmbeddedSchema,
                format!(
                    "embedded bom-{version}.xsd does not compile: {}",
                    first.trim()
                ),
            )
            .help("this is a defect in strata; please report it"),
        )
    })
}

/// Validate `doc` with the thread's compiled XSD of `version`.
fn schema_errors(version: SpecVersion, doc: &Document) -> Result<Vec<StructuredError>> {
    VALIDATORS.with(|cell| {
        let mut map = cell.borrow_mut();
        let ctx = match map.entry(version) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(compile_xsd(version)?),
        };
        Ok(match ctx.validate_document(doc) {
            Ok(()) => Vec::new(),
            Err(errors) => errors,
        })
    })
}

fn schema_diagnostic(e: &StructuredError, version: SpecVersion, text: &[u8]) -> Diagnostic {
    let message = e.message.as_deref().map_or("invalid", str::trim);
    // libxml2 names elements as `{namespace}local`; the namespace is the
    // BOM's own and only lengthens the message.
    let message = message.replace(&format!("{{{}}}", version.xml_namespace()), "");
    let position = position(e).map(|p| element_column(text, p, &message));
    let mut d = Diagnostic::error(Code::SchemaXsd, message).at(position);
    if matches!(e.level, XmlErrorLevel::Warning) {
        d.severity = Severity::Warning;
    }
    d
}

/// Navigation in a CycloneDX document of one namespace.
struct Cdx<'a> {
    ns: &'a str,
}

impl Cdx<'_> {
    fn is(&self, node: &Node, name: &str) -> bool {
        node.get_name() == name
            && node
                .get_namespace()
                .is_some_and(|n| n.get_href() == self.ns)
    }

    fn child(&self, node: &Node, name: &str) -> Option<Node> {
        node.get_child_elements()
            .into_iter()
            .find(|c| self.is(c, name))
    }

    fn children(&self, node: &Node, name: &str) -> Vec<Node> {
        node.get_child_elements()
            .into_iter()
            .filter(|c| self.is(c, name))
            .collect()
    }

    fn text(&self, node: &Node, name: &str) -> Option<String> {
        self.child(node, name)
            .map(|c| c.get_content().trim().to_string())
    }

    fn metadata_component(&self, root: &Node) -> Option<ComponentSummary> {
        let metadata = self.child(root, "metadata")?;
        let c = self.child(&metadata, "component")?;
        let supplier = |n: &Node| {
            self.child(n, "supplier")
                .and_then(|s| self.text(&s, "name"))
        };
        Some(ComponentSummary {
            name: self.text(&c, "name"),
            version: self.text(&c, "version"),
            supplier: supplier(&c).or_else(|| supplier(&metadata)),
            bom_ref: c.get_attribute_no_ns("bom-ref"),
        })
    }

    /// Components in the `components` tree, nested ones included.
    fn count_components(&self, root: &Node) -> usize {
        let Some(list) = self.child(root, "components") else {
            return 0;
        };
        self.children(&list, "component")
            .iter()
            .map(|c| 1 + self.count_components(c))
            .sum()
    }

    /// Dependency and composition references naming no `bom-ref`.
    fn dangling_refs(&self, root: &Node, severity: Severity) -> Vec<Diagnostic> {
        let mut known = HashSet::new();
        collect_bom_refs(root, &mut known);
        let mut refs: Vec<(String, &str)> = Vec::new();
        if let Some(deps) = self.child(root, "dependencies") {
            self.dependency_refs(&deps, &mut refs);
        }
        if let Some(compositions) = self.child(root, "compositions") {
            for c in self.children(&compositions, "composition") {
                for (list, item) in [("assemblies", "assembly"), ("dependencies", "dependency")] {
                    for list in self.children(&c, list) {
                        for item in self.children(&list, item) {
                            if let Some(r) = item.get_attribute_no_ns("ref") {
                                refs.push((r, "composition"));
                            }
                        }
                    }
                }
            }
        }
        refs.into_iter()
            .filter(|(r, _)| !r.starts_with(super::semantic::BOM_LINK) && !known.contains(r))
            .map(|(r, what)| {
                let mut d = Diagnostic::error(
                    Code::DanglingRef,
                    format!("{what} reference `{r}` matches no bom-ref in the BOM"),
                )
                .help("reference an existing bom-ref, add the element it names, or use a BOM-Link (urn:cdx:...) for another BOM");
                d.severity = severity;
                d
            })
            .collect()
    }

    fn dependency_refs(&self, list: &Node, out: &mut Vec<(String, &'static str)>) {
        for dep in self.children(list, "dependency") {
            if let Some(r) = dep.get_attribute_no_ns("ref") {
                out.push((r, "dependency"));
            }
            self.dependency_refs(&dep, out);
        }
    }
}

/// Every `bom-ref` attribute value in the tree below `node`.
fn collect_bom_refs(node: &Node, out: &mut HashSet<String>) {
    if let Some(r) = node.get_attribute_no_ns("bom-ref") {
        out.insert(r);
    }
    for c in node.get_child_elements() {
        collect_bom_refs(&c, out);
    }
}

/// Where a `<!DOCTYPE` starts when it precedes the root element, in an
/// ASCII-compatible encoding. Comments, processing instructions and the XML
/// declaration before it are skipped; anything else ends the prolog.
fn doctype_in_prolog(bytes: &[u8]) -> Option<Position> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut i = 0;
    loop {
        while text.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let rest = text.get(i..)?;
        if rest.starts_with(b"<?") {
            i += find(rest, b"?>")? + 2;
        } else if rest.starts_with(b"<!--") {
            i += find(rest, b"-->")? + 3;
        } else if rest.starts_with(b"<!DOCTYPE") {
            let before = &text[..i];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            return Some(Position {
                line,
                column: i - line_start + 1,
            });
        } else {
            return None;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Report> {
        validate(Path::new("bom.xml"), text.as_bytes(), &Options::default())
    }

    const MINIMAL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.3" version="1">
  <components>
    <component type="library"><name>a</name><version>1</version>
      <components><component type="library"><name>b</name><version>2</version></component></components>
    </component>
  </components>
</bom>"#;

    #[test]
    fn minimal_documents_of_every_version_are_valid() {
        for v in SpecVersion::ALL {
            let text = MINIMAL.replace("bom/1.3", &format!("bom/{v}"));
            let r = run(&text).unwrap();
            assert_eq!(r.spec(), Some(v));
            assert_eq!(r.format, Format::CyclonedxXml);
            // 1.2 requires a version on components; every version here has one.
            assert!(r.is_valid(true), "{v}: {:?}", r.diagnostics);
            assert_eq!(r.component_count, 2);
        }
    }

    #[test]
    fn schema_errors_carry_line_and_message() {
        let text = MINIMAL.replace(r#"type="library"><name>a"#, r#"type="gadget"><name>a"#);
        let r = run(&text).unwrap();
        assert!(!r.is_valid(false));
        let d = &r.diagnostics[0];
        assert_eq!(d.code, "schema-xsd");
        assert_eq!(d.position, Some(Position { line: 4, column: 5 }));
        assert!(d.message.contains("gadget"), "{}", d.message);
        assert!(!d.message.contains("{http"), "{}", d.message);
    }

    #[test]
    fn doctype_and_entities_are_refused_before_parsing() {
        let bomb = r#"<?xml version="1.0"?>
<!-- a comment -->
<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4">&b;</bom>"#;
        let err = run(bomb).unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.code, "xml-doctype");
        assert_eq!(d.position, Some(Position { line: 3, column: 1 }));
        let external = r#"<!DOCTYPE bom SYSTEM "http://example.invalid/x.dtd"><bom/>"#;
        assert_eq!(
            run(external).unwrap_err().diagnostics()[0].code,
            "xml-doctype"
        );
    }

    #[test]
    fn malformed_and_deep_xml_are_syntax_errors() {
        let err = run("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<components>\n</bom>")
            .unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!(d.code, "xml-syntax");
        assert_eq!(d.position.map(|p| p.line), Some(3));
        let deep = format!("{}{}", "<a>".repeat(300), "</a>".repeat(300));
        assert_eq!(run(&deep).unwrap_err().diagnostics()[0].code, "xml-syntax");
    }

    #[test]
    fn versions_and_roots_outside_cyclonedx_are_reported() {
        for (text, code) in [
            (
                r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.1" version="1"/>"#,
                "unsupported-spec-version",
            ),
            (
                r#"<bom xmlns="http://cyclonedx.org/schema/bom/2.0"/>"#,
                "unsupported-spec-version",
            ),
            ("<bom/>", "unsupported-spec-version"),
            (r#"<bom xmlns="urn:other"/>"#, "unsupported-spec-version"),
            (
                r#"<project xmlns="http://maven.apache.org/POM/4.0.0"/>"#,
                "not-a-bom",
            ),
        ] {
            let r = run(text).unwrap();
            assert!(!r.is_valid(false), "{text}");
            assert_eq!(r.diagnostics.len(), 1, "{text}");
            assert_eq!(r.diagnostics[0].code, code, "{text}");
        }
        let rdf = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:spdx="http://spdx.org/rdf/terms#"><spdx:SpdxDocument/></rdf:RDF>"#;
        let err = run(rdf).unwrap_err();
        assert_eq!(err.diagnostics()[0].code, "unsupported-sbom-format");
        assert!(err.diagnostics()[0].message.contains("SPDX RDF/XML"));
    }

    #[test]
    fn metadata_and_dangling_references_are_read() {
        let text = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <component type="operating-system" bom-ref="os"><name>HyperOS</name><version>2.0</version></component>
    <supplier><name>ACME</name></supplier>
  </metadata>
  <components><component type="library" bom-ref="lib"><name>lib</name></component></components>
  <dependencies><dependency ref="os"><dependency ref="lib"/><dependency ref="ghost"/></dependency></dependencies>
</bom>"#;
        let r = run(text).unwrap();
        let c = r.metadata_component.clone().unwrap();
        assert_eq!(
            (
                c.name.as_deref(),
                c.version.as_deref(),
                c.supplier.as_deref(),
                c.bom_ref.as_deref()
            ),
            (Some("HyperOS"), Some("2.0"), Some("ACME"), Some("os"))
        );
        assert_eq!(
            r.serial_number.as_deref(),
            Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79")
        );
        let codes: Vec<&str> = r.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["dangling-ref"], "{:?}", r.diagnostics);
        assert!(r.is_valid(false) && !r.is_valid(true));
    }

    #[test]
    fn duplicate_bom_refs_break_the_xsd() {
        let text = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"><components>
<component type="library" bom-ref="x"><name>a</name></component>
<component type="library" bom-ref="x"><name>b</name></component></components></bom>"#;
        let r = run(text).unwrap();
        assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
        assert_eq!(r.diagnostics[0].code, "schema-xsd");
    }

    /// UTF-16 text (with a byte order mark) is read, and a DOCTYPE the
    /// ASCII prolog scan cannot see is refused after parsing.
    #[test]
    fn utf16_documents_are_read_and_their_doctype_refused() {
        let utf16 = |text: &str| -> Vec<u8> {
            let mut out = vec![0xFF, 0xFE];
            out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            out
        };
        let opts = Options::default();
        let ok = utf16(&MINIMAL.replace("UTF-8", "UTF-16"));
        let r = super::super::validate_bytes(Path::new("u16.xml"), &ok, &opts).unwrap();
        assert!(r.is_valid(true), "{:?}", r.diagnostics);
        assert_eq!(r.component_count, 2);
        let dtd = utf16(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE bom [<!ENTITY a \"x\">]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">&a;</bom>",
        );
        let err = super::super::validate_bytes(Path::new("u16.xml"), &dtd, &opts).unwrap_err();
        assert_eq!(err.diagnostics()[0].code, "xml-doctype");
    }

    #[test]
    fn prolog_scan_stops_at_the_root() {
        assert_eq!(doctype_in_prolog(b"<bom><!DOCTYPE x></bom>"), None);
        assert_eq!(doctype_in_prolog(b"<?xml"), None);
        assert_eq!(
            doctype_in_prolog(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n  <!DOCTYPE x>"),
            Some(Position { line: 2, column: 3 })
        );
    }
}
