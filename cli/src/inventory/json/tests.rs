use super::*;

fn read_str(
    format: SourceFormat,
    text: &str,
    mapping: Option<&Mapping>,
) -> (Result<FileOutcome>, Vec<(Location, Record)>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.json");
    std::fs::write(&path, text).unwrap();
    let mut got = Vec::new();
    let r = crate::inventory::read_file(
        format,
        &path,
        crate::fsutil::Scope::Given,
        mapping,
        &mut |at, rec| got.push((at, rec)),
    );
    (r, got)
}

fn errors(r: Result<FileOutcome>) -> Vec<Diagnostic> {
    match r {
        Ok(o) => o.diagnostics,
        Err(e) => e.diagnostics(),
    }
}

#[test]
fn graph_pages_read_the_fields_used_and_nothing_personal() {
    let text = r#"{"@odata.context":"x","value":[
      {"id":"a1","userId":"u1","deviceName":"ANA-PHONE","managedDeviceOwnerType":"Personal",
       "lastSyncDateTime":"2026-11-30T17:41:55.1234567Z","operatingSystem":"Android","osVersion":"15",
       "managementAgent":"mdm","manufacturer":" Xiaomi ","model":"25042PN24C","imei":"35","emailAddress":"a@b",
       "androidSecurityPatchLevel":"2026-10-01","extra":{"nested":[1,2]}},
      {"id":"a2","manufacturer":null,"model":"","managedDeviceOwnerType":null,"lastSyncDateTime":null}
    ],"@odata.nextLink":"y"}"#;
    let (r, got) = read_str(SourceFormat::Graph, text, None);
    let o = r.unwrap();
    assert_eq!(o.records, 2);
    assert!(o.diagnostics.is_empty(), "{:?}", o.diagnostics);
    let (at, a) = &got[0];
    assert_eq!(*at, Location::Index(0));
    assert_eq!(a.id.as_deref(), Some("a1"));
    assert_eq!(a.user.as_deref(), Some("u1"));
    assert_eq!(a.manufacturer.as_deref(), Some("Xiaomi"));
    assert_eq!(a.ownership, Some(Ownership::Personal));
    assert_eq!(a.mode.as_deref(), Some("mdm"));
    assert_eq!(
        a.patch_level.map(|d| d.to_string()).as_deref(),
        Some("2026-10-01")
    );
    assert_eq!(
        a.last_seen.map(|t| t.to_string()).as_deref(),
        Some("2026-11-30T17:41:55Z")
    );
    let b = &got[1].1;
    assert_eq!(b.manufacturer, None);
    assert_eq!(b.model, None);
    assert_eq!(b.ownership, Some(Ownership::Unknown));
    assert_eq!(b.last_seen, None);
}

#[test]
fn wrong_types_and_values_name_the_record_and_field() {
    let text = r#"{"value":[{"id":"a"},{"id":"b","manufacturer":5},{"managedDeviceOwnerType":"borrowed"},
      {"lastSyncDateTime":"2026-02-30T00:00:00Z"},{"managementAgent":"not a label!"},7]}"#;
    let (r, got) = read_str(SourceFormat::Graph, text, None);
    assert_eq!(got.len(), 1);
    let d = errors(r);
    let at: Vec<(&str, Code)> = d
        .iter()
        .map(|d| (d.pointer.as_deref().unwrap(), d.code))
        .collect();
    assert_eq!(
        at,
        vec![
            ("/value/1/manufacturer", Code::InventoryField),
            ("/value/2/managedDeviceOwnerType", Code::InventoryField),
            ("/value/3/lastSyncDateTime", Code::InvalidDate),
            ("/value/4/managementAgent", Code::InventoryField),
            ("/value/5", Code::InventoryField),
        ]
    );
    assert!(
        d[1].message.contains("company, personal, unknown"),
        "{}",
        d[1].message
    );
    assert!(d.iter().all(|d| d.severity == crate::diag::Severity::Error));
}

#[test]
fn pages_that_are_not_the_format_are_refused_with_a_position() {
    for (text, what) in [
        ("", "EOF"),
        ("{\"value\": [", "EOF"),
        (
            "{\"error\": {\"code\": \"Unauthorized\"}}",
            "expected an object with a `value` array",
        ),
        ("[1, 2]", "invalid type"),
        ("{\"value\": 3}", "invalid type"),
        ("{\"value\": []} trailing", "trailing"),
        ("not json", "expected"),
    ] {
        let (r, _) = read_str(SourceFormat::Graph, text, None);
        let d = r.unwrap_err().diagnostics();
        assert_eq!(d[0].code, Code::InventoryExport, "{text}");
        assert!(d[0].message.contains(what), "{text}: {}", d[0].message);
        assert!(d[0].file.is_some());
    }
    // A null array is an empty page.
    let (r, got) = read_str(SourceFormat::Graph, "{\"value\": null}", None);
    assert_eq!(r.unwrap().records, 0);
    assert!(got.is_empty());
}

#[test]
fn android_device_lists() {
    let text = r#"{"devices":[
      {"name":"enterprises/E/devices/1","managementMode":"PROFILE_OWNER","ownership":"PERSONALLY_OWNED","state":"ACTIVE",
       "lastStatusReportTime":"2026-11-30T06:12:00Z","userName":"enterprises/E/users/9",
       "hardwareInfo":{"brand":"Redmi","manufacturer":"Xiaomi","model":"23129RN51X","serialNumber":"S"},
       "softwareInfo":{"androidVersion":"14","securityPatchLevel":"2026-05-01"}},
      {"name":"enterprises/E/devices/2","managementMode":"DEVICE_OWNER","ownership":"COMPANY_OWNED","state":"DELETED"},
      {"name":"enterprises/E/devices/3","ownership":"LEASED"}
    ],"nextPageToken":"t"}"#;
    let (r, got) = read_str(SourceFormat::Android, text, None);
    let d = errors(r);
    assert_eq!(got.len(), 2);
    let a = &got[0].1;
    assert_eq!(a.brand.as_deref(), Some("Redmi"));
    assert_eq!(a.manufacturer.as_deref(), Some("Xiaomi"));
    assert_eq!(a.mode.as_deref(), Some("work-profile"));
    assert_eq!(a.ownership, Some(Ownership::Personal));
    assert_eq!(a.os.as_deref(), Some("Android"));
    assert_eq!(a.user.as_deref(), Some("enterprises/E/users/9"));
    assert!(!a.retired);
    assert!(got[1].1.retired);
    assert_eq!(got[1].1.mode.as_deref(), Some("fully-managed"));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].pointer.as_deref(), Some("/devices/2/ownership"));
}

#[test]
fn jamf_pages_with_null_sections() {
    let text = r#"{"totalCount":2,"results":[
      {"id":"12","general":{"name":"ops-mbp-12","lastContactTime":"2026-11-30T10:00:00Z",
        "remoteManagement":{"managed":true},"supervised":true,"enrolledViaAutomatedDeviceEnrollment":true},
       "hardware":{"make":"Apple","model":"MacBook Pro (14-inch, 2024)","modelIdentifier":"Mac16,1"},
       "operatingSystem":{"name":"macOS","version":"15.1"},"userAndLocation":{"username":"u","email":"e"}},
      {"id":13,"general":null,"hardware":{"make":"Apple","model":"MacBook Air","modelIdentifier":null},
       "operatingSystem":null,"userAndLocation":null},
      {"id":"14","general":{"supervised":"maybe"}}
    ]}"#;
    let (r, got) = read_str(SourceFormat::Jamf, text, None);
    let d = errors(r);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].1.model.as_deref(), Some("Mac16,1"));
    assert_eq!(got[0].1.mode.as_deref(), Some("managed-supervised"));
    assert_eq!(got[0].1.ownership, Some(Ownership::Company));
    assert_eq!(got[1].1.id.as_deref(), Some("13"));
    assert_eq!(got[1].1.model.as_deref(), Some("MacBook Air"));
    assert_eq!(got[1].1.mode, None);
    assert_eq!(got[1].1.ownership, Some(Ownership::Unknown));
    assert_eq!(
        d[0].pointer.as_deref(),
        Some("/results/2/general/supervised")
    );
}

#[test]
fn generic_json_through_a_mapping() {
    let m = Mapping::parse(&[
        "records=items",
        "manufacturer=/hw/make",
        "model=model",
        "vin=/vin",
        "ownership=own",
    ])
    .unwrap();
    let text = r#"{"items":[{"hw":{"make":"Xiaomi"},"model":"SU7","vin":"1M8GDM9AXKP042788","own":"Leased"},
      {"hw":{"make":"Xiaomi"},"vin":"1M8GDM9A1KP042788"},{"vin":"short"}]}"#;
    let (r, got) = read_str(SourceFormat::Json, text, Some(&m));
    let d = errors(r);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].1.manufacturer.as_deref(), Some("Xiaomi"));
    assert_eq!(got[0].1.model.as_deref(), Some("SU7"));
    assert_eq!(got[0].1.wmi.as_deref(), Some("1M8"));
    assert_eq!(got[0].1.ownership, Some(Ownership::Company));
    assert_eq!(d[0].code, Code::VinCheckDigit);
    assert_eq!(d[0].severity, crate::diag::Severity::Warning);
    assert_eq!(d[0].pointer.as_deref(), Some("/items/1/vin"));
    assert_eq!(d[1].code, Code::VinInvalid);
    // A top-level array without `records`.
    let m = Mapping::parse(&["manufacturer=make"]).unwrap();
    let (r, got) = read_str(
        SourceFormat::Json,
        r#"[{"make":"Dell Inc."},{"make":null}]"#,
        Some(&m),
    );
    assert_eq!(r.unwrap().records, 2);
    assert_eq!(got[0].1.manufacturer.as_deref(), Some("Dell Inc."));
}

#[test]
fn errors_stop_being_listed_after_the_cap() {
    let items: Vec<String> = (0..120)
        .map(|_| "{\"manufacturer\":1}".to_string())
        .collect();
    let text = format!("{{\"value\":[{}]}}", items.join(","));
    let (r, _) = read_str(SourceFormat::Graph, &text, None);
    let o = r.unwrap();
    assert_eq!(o.records, 120);
    assert_eq!(o.diagnostics.len(), super::super::MAX_DIAGNOSTICS + 1);
    assert!(
        o.diagnostics
            .last()
            .unwrap()
            .message
            .starts_with("70 more records in this file have errors")
    );
}

/// Reading only the members a format uses gives the same records (and the
/// same errors) as reading whole records: every example page, each record
/// as it is and with every member's type changed.
#[test]
fn records_read_from_their_used_members_equal_whole_records() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/inventory");
    let pages = [
        (SourceFormat::Graph, "intune/page-1.json", "value"),
        (SourceFormat::Graph, "intune/page-2.json", "value"),
        (SourceFormat::Android, "android-enterprise.json", "devices"),
        (
            SourceFormat::Jamf,
            "jamf/computers-inventory.json",
            "results",
        ),
    ];
    let mut compared = 0;
    for (format, file, key) in pages {
        let page: Value =
            serde_json::from_str(&std::fs::read_to_string(root.join(file)).unwrap()).unwrap();
        let mut records = page[key].as_array().unwrap().clone();
        // Variants: each member in turn replaced by a number.
        let first = records[0].as_object().unwrap().clone();
        for k in first.keys() {
            let mut v = first.clone();
            v.insert(k.clone(), Value::from(7));
            records.push(Value::Object(v));
        }
        records.push(Value::from("not a record"));
        for whole in records {
            let text = whole.to_string();
            let mut de = serde_json::Deserializer::from_str(&text);
            let kept = Kept(used_members(format)).deserialize(&mut de).unwrap();
            let show = |r: Conv<Record>| match r {
                Ok(r) => format!("{r:?}"),
                Err(e) => format!("{} {} {}", e.pointer, e.message, e.help),
            };
            let (mut w1, mut w2) = (None, None);
            assert_eq!(
                show(convert(format, None, &whole, &mut w1)),
                show(convert(format, None, &kept, &mut w2)),
                "{file}: {text}"
            );
            compared += 1;
        }
    }
    assert!(compared > 40, "{compared}");
}
