//! Report contents, read back out of the produced HTML, Markdown, CSV and SSSOM.
use super::*;
use crate::model::{Role, Vote};
use crate::store::NewLink;
use crate::store::test_support::two_frameworks;

/// Agreed E1.1 -> J1.1 (with markup in its note), disputed E1.2 -> J1.1 with a thread,
/// proposed E1.2 -> J1.2; Ana is faculty, Sam an employer SME.
fn workshop() -> Workshop {
    let mut ws = two_frameworks();
    let mut link = |o: &str, d: &str, note: &str| {
        ws.create_link(&NewLink {
            origin: o.into(),
            destination: d.into(),
            note: note.into(),
            ..NewLink::default()
        })
        .unwrap()
        .identifier
    };
    let (agreed, disputed, _proposed) = (
        link("E1.1", "J1.1", "<script>alert(1)</script> & more"),
        link("E1.2", "J1.1", ""),
        link("J1.2", "E1.2", ""),
    );
    ws.add_participant("Ana", Role::Faculty).unwrap();
    ws.add_participant("Sam <SME>", Role::EmployerSme).unwrap();
    for who in ["Ana", "Sam <SME>"] {
        ws.act_as(Some(who)).unwrap();
        ws.vote(&agreed, Vote::Accept, None).unwrap();
    }
    ws.vote(&disputed, Vote::Dispute, Some("only covered in passing"))
        .unwrap();
    ws
}

/// The rows of the table with this id, each as its cells' inner text (tags stripped).
fn table(html: &str, id: &str) -> Vec<Vec<String>> {
    let start = html
        .find(&format!("<table id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let body = &html[start..start + html[start..].find("</table>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<t")
                .skip(1)
                .filter(|c| c.starts_with('d') || c.starts_with('h'))
                .map(|c| {
                    let inner = &c[c.find('>').unwrap() + 1..];
                    let inner = &inner[..inner.find("</t").unwrap_or(inner.len())];
                    let mut text = String::new();
                    let mut in_tag = false;
                    for ch in inner.chars() {
                        match ch {
                            '<' => in_tag = true,
                            '>' => in_tag = false,
                            c if !in_tag => text.push(c),
                            _ => {}
                        }
                    }
                    text
                })
                .collect()
        })
        .collect()
}

#[test]
fn html_tables_hold_coverage_matrix_crosswalk_and_participants() {
    let ws = workshop();
    let data = ReportData::gather(&ws, &[], false, "2025-05-01").unwrap();
    let html = render_html(&data);
    assert!(
        html.starts_with("<!DOCTYPE html>")
            && html.contains("<style>")
            && !html.contains("<script>")
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(html.contains("<time>2025-05-01</time>"));

    // Outcomes: E1 holds E1.1 (covered) and E1.2 (its only agreed-or-not links are not agreed).
    let outcomes = table(&html, "coverage-0");
    assert_eq!(outcomes[0], ["Item", "Statement", "Coverage", "Aligned to"]);
    assert_eq!(outcomes[1][2], "1 of 2 (50%)");
    assert_eq!(outcomes[2][..3], ["E1.1", "statement of E1.1", "covered"]);
    assert_eq!(outcomes[2][3], "J1.1 (exactMatchOf, major)");
    assert_eq!(outcomes[3][2], "gap");
    let competencies = table(&html, "coverage-1");
    assert_eq!(competencies[1][2], "1 of 2 (50%)");

    // The matrix: outcomes down, competencies across, a symbol per status.
    let matrix = table(&html, "matrix-0");
    assert_eq!(matrix[0], ["Outcome \\ Competency", "J1.1", "J1.2"]);
    assert_eq!(matrix[1], ["E1.1 statement of E1.1", "✓", ""]);
    assert_eq!(matrix[2], ["E1.2 statement of E1.2", "!", "?"]);

    let crosswalk = table(&html, "crosswalk-table");
    assert_eq!(crosswalk.len(), 2, "one agreed link: {crosswalk:?}");
    assert_eq!(
        crosswalk[1][..4],
        [
            "E1.1 statement of E1.1",
            "J1.1 statement of J1.1",
            "exactMatchOf",
            "major"
        ]
    );
    assert_eq!(crosswalk[1][7], "Ana, Sam &lt;SME&gt;");

    let people = table(&html, "participants-table");
    assert_eq!(
        people[1..],
        [["Ana", "faculty"], ["Sam &lt;SME&gt;", "employer-sme"]]
    );
    let disputes = &html[html.find("id=\"disputes\"").unwrap()..];
    assert!(
        disputes.contains("E1.2</span> → <span class=\"code\">J1.1")
            && disputes.contains("only covered in passing"),
        "{disputes}"
    );
}

#[test]
fn markdown_and_csv_carry_the_same_numbers() {
    let ws = workshop();
    let data = ReportData::gather(&ws, &[], false, "2025-05-01").unwrap();
    let md = render_markdown(&data);
    assert!(
        md.contains("### Framework E (educator side): 1 of 2 outcomes covered (50%)"),
        "{md}"
    );
    assert!(md.contains("| E1.2 | ! | ? |"), "{md}");
    assert!(
        md.contains(
            "| **E1.1** statement of E1.1 | **J1.1** statement of J1.1 | exactMatchOf | major |"
        ),
        "the agreed crosswalk table: {md}"
    );
    assert!(md.contains("- **E1.2** statement of E1.2"), "{md}");
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt; & more"),
        "{md}"
    );
    assert!(md.contains("Consensus rule \"faculty+employer\": a link is agreed when"));
    let csv = String::from_utf8(coverage_csv(&data.coverage, Side::Employer).unwrap()).unwrap();
    let csv = csv.strip_prefix('\u{feff}').expect("a UTF-8 BOM for Excel");
    let rows: Vec<_> = csv.lines().collect();
    assert!(
        rows[0].starts_with("framework,code,identifier,depth,kind,state,covered,counted,percent")
    );
    assert!(
        rows[1].starts_with("Framework J,J1,j-1,0,group,,1,2,50.0,"),
        "{csv}"
    );
    assert!(
        rows[2].starts_with(
            "Framework J,J1.1,j-11,1,leaf,covered,1,1,100.0,\"E1.1 (exactMatchOf, major)\""
        ),
        "{csv}"
    );
}

#[test]
fn sssom_has_a_metadata_block_and_one_row_per_link() {
    let ws = workshop();
    let links = ws.session_links().unwrap();
    let info = SssomInfo {
        identifier: "1b4e28ba-2fa1-11d2-883f-0016d3cca427".into(),
        title: "Crosswalk".into(),
        date: "2025-05-01".into(),
        frameworks: vec![
            ("doc-e".into(), "Framework E".into()),
            ("doc-j".into(), "Framework J".into()),
        ],
    };
    let mut out = Vec::new();
    write_sssom(&links, &[], &info, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let (meta, rows): (Vec<&str>, Vec<&str>) = text.lines().partition(|l| l.starts_with('#'));
    assert!(
        meta.contains(&"# mapping_set_id: \"urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427\""),
        "{text}"
    );
    assert!(
        meta.contains(&"#   skos: \"http://www.w3.org/2004/02/skos/core#\""),
        "{text}"
    );
    assert!(
        meta.iter()
            .any(|l| l.starts_with("#   FE: \"urn:case:doc-e:\"")),
        "{text}"
    );
    let header: Vec<&str> = rows[0].split('\t').collect();
    assert_eq!(
        header[..4],
        [
            "subject_id",
            "subject_label",
            "predicate_id",
            "predicate_modifier"
        ]
    );
    assert_eq!(rows.len(), 4);
    let first: Vec<&str> = rows[1].split('\t').collect();
    assert_eq!(first.len(), header.len());
    assert_eq!(first[0], "FE:e-11");
    assert_eq!(first[2], "skos:exactMatch");
    assert_eq!(first[6], "semapv:ManualMappingCuration");
    assert_eq!(first[9], "participant:Ana|participant:Sam__SME_");
    assert!(
        first[13].contains("agreed") && first[13].contains("<script>"),
        "TSV is not HTML: {}",
        first[13]
    );
}

#[test]
fn an_unwritable_folder_is_a_clear_error() {
    let ws = workshop();
    let data = ReportData::gather(&ws, &[], false, "2025-05-01").unwrap();
    let err = write_report(Path::new("/proc/no/such/dir"), &data).unwrap_err();
    assert!(
        format!("{err:#}").contains("cannot create the report folder /proc/no/such/dir"),
        "{err:#}"
    );
    let dir = tempfile::tempdir().unwrap();
    let written = write_report(dir.path(), &data).unwrap();
    assert_eq!(written.len(), 4);
    assert!(written.iter().all(|p| p.exists()));
}

#[test]
fn imported_text_cannot_inject_markup_or_control_bytes() {
    let mut ws = workshop();
    ws.act_as(None).unwrap();
    let l = ws.links().unwrap()[0].identifier.clone();
    ws.update_link(
        &l,
        &crate::store::LinkChange {
            note: Some("> quoted \u{1b}[31mred\u{7} <b>".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let data = ReportData::gather(&ws, &[], false, "2025-05-01").unwrap();
    let md = render_markdown(&data);
    let html = render_html(&data);
    for text in [&md, &html] {
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
    }
    assert!(
        md.contains("&gt; quoted [31mred &lt;b&gt;"),
        "`>` is escaped too: {md}"
    );
    assert!(html.contains("&gt; quoted [31mred &lt;b&gt;"), "{html}");
}

#[test]
fn the_html_is_laid_out_for_print() {
    let ws = workshop();
    let data = ReportData::gather(&ws, &[], false, "2025-05-01").unwrap();
    let html = render_html(&data);
    assert!(html.contains("@page { size: letter portrait;"));
    assert!(html.contains("@page matrix { size: letter landscape;"));
    assert!(html.contains("section.matrix { page: matrix; }"));
    assert!(
        !html.contains("break-before: page"),
        "no forced page breaks: they leave pages holding one sentence"
    );
    // A contents list naming every section, each of which is there.
    let contents = &html[html.find("<nav class=\"contents\"").unwrap()..];
    let contents = &contents[..contents.find("</nav>").unwrap()];
    for id in [
        "participants",
        "coverage",
        "gaps",
        "no-equivalent",
        "verdicts",
        "matrix",
        "crosswalk",
        "disputes",
        "rejected",
    ] {
        assert!(contents.contains(&format!("href=\"#{id}\"")), "{id}");
        assert!(html.contains(&format!("<h2 id=\"{id}\">")), "{id}");
    }
    // The Markdown has the same sections, listed first.
    let md = render_markdown(&data);
    for (n, title) in [
        "Participants",
        "Coverage",
        "Gaps",
        "No equivalent",
        "Competency verdicts",
        "Coverage matrix",
        "Agreed crosswalk",
        "Open disputes",
        "Rejected links",
    ]
    .iter()
    .enumerate()
    {
        assert!(md.contains(&format!("\n## {title}\n")), "{title}");
        let anchor = title.to_lowercase().replace(' ', "-");
        assert!(
            md.contains(&format!("{}. [{title}](#{anchor})", n + 1)),
            "{title}"
        );
    }
    // Every matrix column's code is in the key with its statement.
    assert!(html.contains("<li><span class=\"code\">J1.2</span> statement of J1.2</li>"));
}
