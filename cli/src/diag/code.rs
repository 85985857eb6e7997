//! The registry of diagnostic codes: every code strata can emit, each with
//! its stable kebab-case name, a one-line summary and a longer explanation
//! (what it means, common causes, how to fix it) that `strata explain CODE`
//! prints, the way `rustc --explain` does.
//!
//! [`Diagnostic::error`](super::Diagnostic::error) and
//! [`Diagnostic::warning`](super::Diagnostic::warning) take a [`Code`], so a
//! code cannot be emitted without being registered here. The explanations
//! are Markdown files in `src/diag/explain/<code>.md`; `docs/diagnostics.md`
//! is generated from this registry ([`reference`]) and a test keeps it in
//! step.

use std::fmt;

use serde::{Serialize, Serializer};

/// Declares [`Code`]: `Variant = "kebab-code": "one-line summary",`, in
/// alphabetical order of the code. The explanation of each code is
/// `explain/<code>.md` beside this file.
macro_rules! codes {
    ($($variant:ident = $code:literal : $summary:literal,)*) => {
        /// A diagnostic code. Its [`Code::as_str`] name is stable across
        /// releases: scripts, JSON consumers and `strata explain` rely on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in alphabetical order of its name.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name, e.g. `unknown-key`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// One line saying what the code means.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }

            /// The long explanation (Markdown): what it means, common
            /// causes, how to fix it.
            pub const fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!("explain/", $code, ".md")),)*
                }
            }

            /// The code named `name`, if there is one.
            pub fn from_name(name: &str) -> Option<Code> {
                match name {
                    $($code => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    AmbiguousVendor = "ambiguous-vendor": "A supplier name matches the names or aliases of several vendors.",
    AndroidAttestationMalformed = "android-attestation-malformed": "An Android key attestation chain cannot be read.",
    AnswersDeviceMismatch = "answers-device-mismatch": "The memo answers file is for another device.",
    AttestationMissing = "attestation-missing": "The device's attestation file does not exist or is not named.",
    AttestationsAmbiguous = "attestations-ambiguous": "The approved-device list names attestations in several directories.",
    AvbVbmetaMalformed = "avb-vbmeta-malformed": "An AVB vbmeta image cannot be read.",
    BadCertificate = "bad-certificate": "A signing certificate cannot be used.",
    BadPem = "bad-pem": "A file that should hold PEM certificates does not.",
    BadPublicKey = "bad-public-key": "A verification key is not a usable PEM public key.",
    BadRevision = "bad-revision": "A git revision cannot be resolved.",
    BadSigningKey = "bad-signing-key": "A signing key is not a usable PEM private key.",
    BadTrustedRoot = "bad-trusted-root": "A Sigstore trusted root cannot be read.",
    BatchListSyntax = "batch-list-syntax": "A line of a batch verification list is malformed.",
    BindingInvalid = "binding-invalid": "A file given to `memo --cite` is not the binding sidecar of a final memo.",
    BomLinkMismatch = "bom-link-mismatch": "A declarations document's BOM-Link does not match the BOM beside it.",
    BomLinkMissing = "bom-link-missing": "The BOM a declarations document is bound to is not beside it.",
    Bundle = "bundle": "A Sigstore bundle could not be written.",
    CatalogAmbiguous = "catalog-ambiguous": "A name in catalog.yaml means two vendors or two models.",
    CertificateChain = "certificate-chain": "A signing certificate does not chain to the given CA certificates.",
    CertificateKeyMismatch = "certificate-key-mismatch": "A signing certificate is not for the signing key.",
    CertificateMalformed = "certificate-malformed": "An issuer certificate file cannot be read.",
    CyclonedxWrite = "cyclonedx-write": "The CycloneDX BOM could not be written.",
    DanglingRef = "dangling-ref": "A reference in a BOM names no bom-ref.",
    DeviceIdMismatch = "device-id-mismatch": "An approved device points at a stack for another device.",
    DuplicateBomRef = "duplicate-bom-ref": "A bom-ref is used more than once in a BOM.",
    DuplicateDevice = "duplicate-device": "A device id is used twice in the fleet.",
    DuplicateMeasureId = "duplicate-measure-id": "Two measures of a memo answers file have the same id.",
    DuplicateSpdxId = "duplicate-spdx-id": "An SPDXID is used more than once in an SPDX document.",
    EmbeddedSchema = "embedded-schema": "A schema built into strata does not compile.",
    EmptyBatch = "empty-batch": "A batch verification found no bundles.",
    EmptyFile = "empty-file": "A file is empty.",
    EvidenceMalformed = "evidence-malformed": "A stack's evidence file is not valid for its declared kind.",
    EvidenceTooLarge = "evidence-too-large": "An evidence file is too large to inspect.",
    EvidenceVerificationFailed = "evidence-verification-failed": "Evidence was read but one of its checks failed.",
    ExceptionExpired = "exception-expired": "A policy exception is past its expiry date.",
    ExceptionUnused = "exception-unused": "A policy exception matches no finding.",
    FileChanged = "file-changed": "A file changed while it was being hashed.",
    FileExists = "file-exists": "strata refused to overwrite an existing file.",
    FmtCommentUnplaced = "fmt-comment-unplaced": "Formatting would lose comments, so the file was left alone.",
    FmtInternal = "fmt-internal": "Formatting a file failed inside strata.",
    FractionsDoNotSum = "fractions-do-not-sum": "The parts of a split layer do not add up to 1.",
    Fulcio = "fulcio": "Fulcio did not issue a signing certificate.",
    GitError = "git-error": "Reading git history failed.",
    IdentityToken = "identity-token": "No usable OIDC identity token for keyless signing.",
    InputTooLarge = "input-too-large": "An input file is larger than strata reads.",
    Internal = "internal": "strata failed inside itself (a defect, not your input).",
    InvalidDate = "invalid-date": "A date is not a real calendar date.",
    InvalidRuleParameter = "invalid-rule-parameter": "A policy rule has a missing, unknown or wrong parameter.",
    InvalidValue = "invalid-value": "A value is not one of those allowed.",
    InventoryCsv = "inventory-csv": "A CSV device inventory cannot be read: its header, a row's length or its encoding.",
    InventoryExport = "inventory-export": "A device inventory file is not the export format it was read as.",
    InventoryField = "inventory-field": "A field strata uses in a device inventory has the wrong type or an unknown value.",
    InventoryMalformed = "inventory-malformed": "A device component inventory cannot be read.",
    InventoryMapping = "inventory-mapping": "A column mapping for a generic device inventory is incomplete or names an unknown field.",
    InventorySnapshot = "inventory-snapshot": "A file given as an inventory snapshot is not the JSON `strata inventory reconcile` writes.",
    IoError = "io-error": "Reading or writing a file failed.",
    JsonSyntax = "json-syntax": "A file is not valid JSON.",
    JsonTooDeep = "json-too-deep": "A JSON document nests too deeply.",
    JsonTruncated = "json-truncated": "A JSON document ends too early.",
    Keyless = "keyless": "Keyless signing could not be completed.",
    KeylessIdentity = "keyless-identity": "Fulcio certified another identity than the token's.",
    MemoSectionEmpty = "memo-section-empty": "A final memo has a required section without an answer.",
    MissingEvidence = "missing-evidence": "An evidence file named in a stack does not exist.",
    MissingKey = "missing-key": "A required key is missing.",
    MissingSpecVersion = "missing-spec-version": "A document has no CycloneDX `specVersion`.",
    MissingStack = "missing-stack": "An approved device's stack manifest does not exist.",
    ModelSignatureMalformed = "model-signature-malformed": "A model signature file is not a model-signing bundle.",
    ModelSigningEvidence = "model-signing-evidence": "Model-signing evidence lacks the model directory or the trust to verify it, so it was recorded as not checked.",
    ModelUnreadable = "model-unreadable": "A model directory or file cannot be read for signing or verifying.",
    NoApprovedList = "no-approved-list": "The fleet has no approved-device list; every stack is analysed.",
    NoArtifact = "no-artifact": "No artifact was given for a bundle and none was found next to it.",
    NoCatalog = "no-catalog": "The fleet has no catalog.yaml to match device inventories against.",
    NoDesignations = "no-designations": "The fleet has no designations file; restricted lists were not screened.",
    NoDevices = "no-devices": "The fleet has no devices to analyse.",
    NoFleetRoot = "no-fleet-root": "No fleet directory (holding vendors.yaml) was found.",
    NoInventories = "no-inventories": "Observed device counts were asked for and the policy names no inventories.",
    NoLayers = "no-layers": "A stack declares no layers.",
    NonUtf8Path = "non-utf8-path": "A file name is not valid UTF-8.",
    NotABom = "not-a-bom": "A document is not a BOM strata can validate.",
    NotAFile = "not-a-file": "A path is not a regular file.",
    NotARepository = "not-a-repository": "The directory is not inside a git repository.",
    NotAStrataFile = "not-a-strata-file": "A file is not one of the kinds strata formats.",
    NotUtf8 = "not-utf8": "A text file is not valid UTF-8.",
    NpmAttestationMalformed = "npm-attestation-malformed": "An npm registry attestations document cannot be read.",
    PathOutsideRoot = "path-outside-root": "A path leads outside the fleet directory.",
    PseudonymKey = "pseudonym-key": "No usable organisation key for pseudonyms: none given, unreadable or too short.",
    Rekor = "rekor": "Rekor did not log the signature.",
    ResidualAboveInherent = "residual-above-inherent": "A residual risk score is above the inherent score of the same risk.",
    ReviewsLocked = "reviews-locked": "Another strata process holds the lock on a reviews file.",
    SchemaAdditionalItems = "schema-additional-items": "A BOM array has more items than its official schema allows.",
    SchemaAdditionalProperties = "schema-additional-properties": "A BOM object has a property its official schema does not define.",
    SchemaAnyOf = "schema-any-of": "A BOM value matches none of the forms its official schema allows.",
    SchemaConst = "schema-const": "A BOM value differs from the one value its official schema allows.",
    SchemaContains = "schema-contains": "A BOM array lacks an item its official schema requires.",
    SchemaContentEncoding = "schema-content-encoding": "A BOM string is not in the encoding its official schema names.",
    SchemaContentMediaType = "schema-content-media-type": "A BOM string is not of the media type its official schema names.",
    SchemaEnum = "schema-enum": "A BOM value is not one of those its official schema lists.",
    SchemaExclusiveMaximum = "schema-exclusive-maximum": "A BOM number is not below its official schema's maximum.",
    SchemaExclusiveMinimum = "schema-exclusive-minimum": "A BOM number is not above its official schema's minimum.",
    SchemaFalseSchema = "schema-false-schema": "A BOM value sits where its official schema allows nothing.",
    SchemaFormat = "schema-format": "A BOM string does not have the format its official schema requires.",
    SchemaMaxItems = "schema-max-items": "A BOM array is longer than its official schema allows.",
    SchemaMaxLength = "schema-max-length": "A BOM string is longer than its official schema allows.",
    SchemaMaxProperties = "schema-max-properties": "A BOM object has more properties than its official schema allows.",
    SchemaMaximum = "schema-maximum": "A BOM number is above its official schema's maximum.",
    SchemaMinItems = "schema-min-items": "A BOM array is shorter than its official schema allows.",
    SchemaMinLength = "schema-min-length": "A BOM string is shorter than its official schema allows.",
    SchemaMinProperties = "schema-min-properties": "A BOM object has fewer properties than its official schema requires.",
    SchemaMinimum = "schema-minimum": "A BOM number is below its official schema's minimum.",
    SchemaMultipleOf = "schema-multiple-of": "A BOM number is not a multiple its official schema requires.",
    SchemaNot = "schema-not": "A BOM value has a form its official schema forbids.",
    SchemaOneOf = "schema-one-of": "A BOM value matches none, or more than one, of the forms its official schema allows.",
    SchemaPattern = "schema-pattern": "A BOM string does not match the pattern its official schema requires.",
    SchemaPropertyNames = "schema-property-names": "A BOM object has a property name its official schema forbids.",
    SchemaRef = "schema-ref": "The CycloneDX schema refers to a definition that cannot be resolved.",
    SchemaRequired = "schema-required": "A BOM object lacks a property its official schema requires.",
    SchemaType = "schema-type": "A BOM value has the wrong JSON type for its official schema.",
    SchemaUnevaluatedItems = "schema-unevaluated-items": "A BOM array has items its official schema does not describe.",
    SchemaUnevaluatedProperties = "schema-unevaluated-properties": "A BOM object has properties its official schema does not describe.",
    SchemaUniqueItems = "schema-unique-items": "A BOM array repeats an item its official schema requires to be unique.",
    SchemaXsd = "schema-xsd": "A CycloneDX XML BOM breaks the official XSD of its version.",
    SlsaProvenanceMalformed = "slsa-provenance-malformed": "SLSA provenance cannot be read.",
    SpdmCertificateMalformed = "spdm-certificate-malformed": "An SPDM or DICE certificate chain cannot be read.",
    SpecVersionMismatch = "spec-version-mismatch": "A BOM's `$schema` names another CycloneDX version than its `specVersion`.",
    StackNotApproved = "stack-not-approved": "A stack manifest is not on the approved-device list and was not analysed.",
    Statement = "statement": "The in-toto statement to sign could not be built.",
    StatusListMalformed = "status-list-malformed": "An Android attestation status (revocation) list cannot be read.",
    SupplierAndParts = "supplier-and-parts": "A layer has both `supplier` and `parts`; `parts` is used.",
    SymlinkLoop = "symlink-loop": "A directory holds a symbolic link loop.",
    SymlinkRefused = "symlink-refused": "Evidence is a symbolic link, which strata does not follow by default.",
    TcgPlatformCertificateMalformed = "tcg-platform-certificate-malformed": "A TCG platform certificate cannot be read.",
    TemplateError = "template-error": "A memo template failed to render.",
    TooManyEntries = "too-many-entries": "A file lists more entries than strata judges in one file.",
    TpmEkCertificateMalformed = "tpm-ek-certificate-malformed": "A TPM endorsement key certificate cannot be read.",
    UnknownCriterion = "unknown-criterion": "A review criterion is not defined in the policy.",
    UnknownDevice = "unknown-device": "No device of that id exists where strata looked.",
    UnknownEvidenceFormat = "unknown-evidence-format": "strata cannot tell which evidence format a file is.",
    UnknownKey = "unknown-key": "A file has a key its schema does not define.",
    UnknownRisk = "unknown-risk": "A measure treats a risk id that is not in the device's risk register.",
    UnknownRule = "unknown-rule": "A policy names a rule strata does not know.",
    UnknownVendor = "unknown-vendor": "A vendor id is not in vendors.yaml.",
    UnsupportedEvidenceKind = "unsupported-evidence-kind": "strata cannot inspect evidence of this kind.",
    UnsupportedSbomFormat = "unsupported-sbom-format": "An SBOM is in a format strata does not read (SPDX tag-value, RDF, YAML, SPDX 3).",
    UnsupportedSpecVersion = "unsupported-spec-version": "A BOM's spec version (`specVersion`, XML namespace or `spdxVersion`) is not one strata validates.",
    UnsupportedVersion = "unsupported-version": "A file's `version` is not one this strata understands.",
    UptaneMetadataMalformed = "uptane-metadata-malformed": "Uptane metadata cannot be read.",
    Usage = "usage": "The command line asked for something strata cannot do.",
    VendorNameResolved = "vendor-name-resolved": "A stack names a vendor by its legal name or an alias; it was resolved to the vendor id.",
    VendorParentCycle = "vendor-parent-cycle": "A vendor's chain of parents loops.",
    VendorSbomInvalid = "vendor-sbom-invalid": "A vendor SBOM given as evidence is not valid CycloneDX or SPDX.",
    VinCheckDigit = "vin-check-digit": "A VIN's check digit does not match where its region requires one (a warning).",
    VinInvalid = "vin-invalid": "A VIN is not 17 characters from the ISO 3779 alphabet.",
    WalkError = "walk-error": "A directory of bundles could not be walked.",
    WalkFailed = "walk-failed": "An evidence directory could not be walked.",
    WrongEvidenceKind = "wrong-evidence-kind": "Evidence declared as a file is a directory.",
    WrongType = "wrong-type": "A value has the wrong type.",
    XmlDoctype = "xml-doctype": "An XML document has a DOCTYPE declaration, which strata refuses.",
    XmlSyntax = "xml-syntax": "A file is not well-formed XML.",
    YamlAliasBudget = "yaml-alias-budget": "Aliases expand a YAML file far beyond its own size.",
    YamlComplexKey = "yaml-complex-key": "A YAML mapping key is not a plain scalar.",
    YamlDuplicateKey = "yaml-duplicate-key": "A YAML mapping has the same key twice.",
    YamlMultipleDocuments = "yaml-multiple-documents": "A YAML file holds more than one document.",
    YamlSyntax = "yaml-syntax": "A file is not valid YAML.",
    YamlTooDeep = "yaml-too-deep": "A YAML file nests too deeply.",
    YamlTooManyNodes = "yaml-too-many-nodes": "A YAML file has too many nodes (an alias bomb?).",
    YamlUnsupportedTag = "yaml-unsupported-tag": "A YAML file uses a tag strata does not accept.",
}

impl Code {
    /// The line that points a reader of an error at its explanation.
    pub fn explain_hint(self) -> String {
        format!(
            "for more information, try `strata explain {}`",
            self.as_str()
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The reference of every code as Markdown: `docs/diagnostics.md` is this
/// text, checked by a test.
pub fn reference() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         <!-- Generated from cli/src/diag/code.rs and cli/src/diag/explain/*.md; \
         do not edit. Regenerate with `STRATA_UPDATE_DOCS=1 cargo test --locked --lib \
         diag::code`. -->\n\n\
         Every error and warning strata reports carries one of these codes, e.g.\n\
         `error[unknown-key]`. `strata explain CODE` prints the explanation of a code,\n\
         `strata explain --list` lists them all.\n\n",
    );
    for c in Code::ALL {
        out.push_str(&format!("- [`{c}`](#{c}): {}\n", c.summary()));
    }
    for c in Code::ALL {
        out.push_str(&format!("\n## `{c}`\n\n"));
        out.push_str(demote_headings(c.explanation()).trim_end());
        out.push('\n');
    }
    out
}

/// An explanation's own headings moved two levels down, below the code's
/// `##` heading.
fn demote_headings(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push_str("##");
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_unique() {
        let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        insta::assert_snapshot!(names.join("\n"));
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            names, sorted,
            "codes must be unique and in alphabetical order"
        );
    }

    #[test]
    fn every_code_is_kebab_case_and_round_trips() {
        for &c in Code::ALL {
            let name = c.as_str();
            assert!(
                !name.is_empty()
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{name} is not kebab-case"
            );
            assert_eq!(Code::from_name(name), Some(c));
            assert_eq!(c.to_string(), name);
            assert_eq!(serde_json::to_value(c).unwrap(), serde_json::json!(name));
        }
        assert_eq!(Code::from_name("no-such-code"), None);
    }

    #[test]
    fn every_code_is_documented() {
        for &c in Code::ALL {
            let summary = c.summary();
            assert!(
                !summary.trim().is_empty() && summary.ends_with('.') && !summary.contains('\n'),
                "{c}: the summary must be one sentence on one line"
            );
            let text = c.explanation();
            assert!(
                text.trim().len() >= 120,
                "{c}: explain/{c}.md is missing or too short to help"
            );
            assert!(
                text.ends_with('\n') && !text.ends_with("\n\n"),
                "{c}: end the file with one newline"
            );
            assert!(
                !text.starts_with('#'),
                "{c}: start with prose, not a heading"
            );
        }
    }

    #[test]
    fn every_explanation_file_belongs_to_a_code() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diag/explain");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            let code = name.strip_suffix(".md").unwrap_or(&name);
            assert!(
                Code::from_name(code).is_some(),
                "{name} explains no registered code"
            );
        }
    }

    #[test]
    fn docs_reference_is_generated_from_the_registry() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/diagnostics.md");
        let want = reference();
        if std::env::var_os("STRATA_UPDATE_DOCS").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/diagnostics.md is out of date; regenerate it with \
             `STRATA_UPDATE_DOCS=1 cargo test --locked --lib diag::code`"
        );
    }

    #[test]
    fn codes_compare_with_their_names() {
        assert!(Code::UnknownKey == "unknown-key");
        assert!(Code::UnknownKey != "unknown-vendor");
        assert_eq!(
            Code::UnknownKey.explain_hint(),
            "for more information, try `strata explain unknown-key`"
        );
    }
}
