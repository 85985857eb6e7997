use super::*;
use crate::inventory::Ownership;

fn read_str(
    format: SourceFormat,
    text: &[u8],
    mapping: Option<&Mapping>,
) -> (Result<FileOutcome>, Vec<(Location, Record)>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.csv");
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

#[test]
fn vehicle_lists_are_keyed_by_vin_with_line_numbers() {
    let text = "\u{feff}VIN;Make;Model;Registration;Driver;Ownership;Last seen\n\
        1M8GDM9AXKP042788;Xiaomi;SU7;AA-01-BC;Sofia;Leased;2026-11-30\n\
        1M8GDM9A1KP042788;XIAOMI;SU7;AA-02-BC;Tiago;;2026-11-29T18:00:00Z\n\
        ;Xiaomi;SU7;AA-03-BC;;;\n\
        WVWZZZ1JZ3W38675;VW;ID.4;;;;\n\
        WVWZZZ1JZ3W386752;VW;ID.4;;;rented;\n\
        WVWZZZ1JZ3W386752;VW;ID.4;;;;yesterday\n\
        WVWZZZ1JZ3W386752;VW\n";
    let (r, got) = read_str(SourceFormat::VinCsv, text.as_bytes(), None);
    let o = r.unwrap();
    assert_eq!(o.records, 7);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].0, Location::Line(2));
    let a = &got[0].1;
    assert_eq!(a.id.as_deref(), Some("1M8GDM9AXKP042788"));
    assert_eq!(a.wmi.as_deref(), Some("1M8"));
    assert_eq!(a.manufacturer.as_deref(), Some("Xiaomi"));
    assert_eq!(a.ownership, Some(Ownership::Company));
    assert_eq!(a.mode.as_deref(), Some("fleet"));
    assert_eq!(got[1].1.ownership, None);
    let d: Vec<(usize, Code)> = o
        .diagnostics
        .iter()
        .map(|d| (d.position.unwrap().line, d.code))
        .collect();
    assert_eq!(
        d,
        vec![
            (3, Code::VinCheckDigit),
            (4, Code::InventoryField),
            (5, Code::VinInvalid),
            (6, Code::InventoryField),
            (7, Code::InvalidDate),
            (8, Code::InventoryCsv),
        ]
    );
    // No message quotes a VIN or a registration.
    for d in &o.diagnostics {
        assert!(
            !d.message.contains("042788") && !d.message.contains("AA-0"),
            "{}",
            d.message
        );
    }
}

#[test]
fn a_list_without_a_vin_column_or_in_another_encoding_is_refused() {
    let (r, _) = read_str(SourceFormat::VinCsv, b"Plate,Make\nAA,Xiaomi\n", None);
    let d = r.unwrap_err().diagnostics();
    assert_eq!(d[0].code, Code::InventoryCsv);
    assert_eq!(d[0].position.unwrap().line, 1);
    let (r, got) = read_str(
        SourceFormat::VinCsv,
        b"VIN,Make\nWVWZZZ1JZ3W386752,Citro\xebn\n",
        None,
    );
    let o = r.unwrap();
    assert!(got.is_empty());
    assert_eq!(o.diagnostics[0].code, Code::InventoryCsv);
    assert!(o.diagnostics[0].message.contains("UTF-8"));
    let (r, got) = read_str(SourceFormat::VinCsv, b"", None);
    assert!(r.is_err() || got.is_empty());
}

#[test]
fn generic_csv_through_a_mapping() {
    let m = Mapping::parse(&[
        "id=Asset Tag",
        "manufacturer=Vendor",
        "model=Model",
        "ownership=Owner type",
    ])
    .unwrap();
    let text = "Asset Tag,Holder,Vendor,Model,Owner type\nA-1,Yara,Dell Inc.,Latitude 7450,Corporate\nA-2,Zeca,DELL,,BYOD\n";
    let (r, got) = read_str(SourceFormat::Csv, text.as_bytes(), Some(&m));
    assert!(r.unwrap().diagnostics.is_empty());
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].1.id.as_deref(), Some("A-1"));
    assert_eq!(got[0].1.ownership, Some(Ownership::Company));
    assert_eq!(got[1].1.model, None);
    assert_eq!(got[1].1.ownership, Some(Ownership::Personal));
    // A mapped column the header lacks.
    let m = Mapping::parse(&["manufacturer=Make"]).unwrap();
    let (r, _) = read_str(SourceFormat::Csv, text.as_bytes(), Some(&m));
    let d = r.unwrap_err().diagnostics();
    assert_eq!(d[0].code, Code::InventoryCsv);
    assert!(d[0].message.contains("`Make`"));
    let (r, _) = read_str(SourceFormat::Csv, text.as_bytes(), None);
    assert_eq!(r.unwrap_err().diagnostics()[0].code, Code::InventoryMapping);
}
