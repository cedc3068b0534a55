//! Turning items and their `isChildOf` links into a flat pre-order tree, shared by the
//! JSON and CSV importers. Everything here is iterative: a 100,000-deep chain must not
//! overflow the stack, and 20,000 items must arrange in milliseconds.
use super::{ImportError, MAX_DEPTH};
use crate::model::Item;
use std::cmp::Ordering;
use std::iter::Peekable;
use std::str::Chars;

/// How many names a warning or an error lists before it says "and N more".
pub(super) const NAMES_SHOWN: usize = 5;

/// Where an `isChildOf` link (or a spreadsheet's parent cell) points.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ParentRef {
    /// The document itself: the child is a top-level item.
    Top,
    /// Another item, by its index in the items given to [`arrange`].
    Item(usize),
    /// Something outside the package, as written (identifier, uri or code).
    Unknown(String),
}

/// One parent link of an item, in the order the source lists them.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ParentLink {
    pub child: usize,
    pub parent: ParentRef,
    pub sequence: Option<i64>,
}

/// What a person calls an item in a message: its identifier, with its code when it has one.
pub(super) fn describe(item: &Item) -> String {
    if item.code.is_empty() {
        format!("`{}`", item.identifier)
    } else {
        format!("`{}` ({})", item.identifier, item.code)
    }
}

/// An item named with its statement's start, for telling two items apart in a message.
pub(super) fn describe_with_statement(item: &Item) -> String {
    format!(
        "{} \u{201c}{}\u{201d}",
        describe(item),
        shorten(&item.statement, 40)
    )
}

/// The first `max` characters of `text` on one line, with an ellipsis when cut; control
/// characters (an imported statement's escape sequences) shown as U+FFFD.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let one_line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// `a, b, c and 4 more`: the first few of a list, for messages that must stay short.
pub(super) fn list_some(names: &[String]) -> String {
    let shown = names
        .iter()
        .take(NAMES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_SHOWN {
        format!("{shown} and {} more", names.len() - NAMES_SHOWN)
    } else {
        shown
    }
}

/// Arranges `items` (in source order, `depth` and `parent` unset) into a pre-order tree.
///
/// Each item takes its first parent link (lowest `sequence`, a missing one after present
/// ones, then source order); other parents are dropped with a warning. Items with no link
/// to an item of the package or to the document go to the top level: with a warning when
/// their parent is outside the package, and when `unlinked_is_orphan` (a CASE package,
/// where every item should have an `isChildOf`) also when they have no parent link at all.
/// Siblings are ordered by `sequence`, then `list_enumeration`, then `code` (both in
/// natural order, empty last), then source order. Cycles and trees deeper than
/// [`MAX_DEPTH`] levels are refused.
pub(super) fn arrange(
    items: Vec<Item>,
    links: &[ParentLink],
    source_name: &str,
    unlinked_is_orphan: bool,
) -> Result<(Vec<Item>, Vec<String>), ImportError> {
    let n = items.len();
    let mut warnings = Vec::new();

    // The chosen link of each item (index into `links`), and whether it saw any link.
    let mut chosen: Vec<Option<usize>> = vec![None; n];
    let mut unknown_parent: Vec<Option<usize>> = vec![None; n];
    let mut extra_parents: Vec<Vec<usize>> = Vec::new();
    let mut extra_of: Vec<Option<usize>> = vec![None; n];
    let link_key = |l: &ParentLink, i: usize| (l.sequence.is_none(), l.sequence.unwrap_or(0), i);
    for (li, link) in links.iter().enumerate() {
        let Some(child) = items.get(link.child) else {
            continue;
        };
        match &link.parent {
            ParentRef::Unknown(_) => {
                unknown_parent[link.child].get_or_insert(li);
                continue;
            }
            ParentRef::Item(p) if *p == link.child => {
                return Err(ImportError::invalid(
                    source_name,
                    format!(
                        "isChildOf cycle: item {} is its own parent",
                        describe(child)
                    ),
                ));
            }
            ParentRef::Item(p) if *p >= n => continue,
            _ => {}
        }
        match chosen[link.child] {
            None => chosen[link.child] = Some(li),
            Some(ci) => {
                let current = &links[ci];
                if current.parent == link.parent {
                    // The same link twice: keep the first by order, no warning.
                    if link_key(link, li) < link_key(current, ci) {
                        chosen[link.child] = Some(li);
                    }
                    continue;
                }
                let slot = *extra_of[link.child].get_or_insert_with(|| {
                    extra_parents.push(vec![link.child]);
                    extra_parents.len() - 1
                });
                if link_key(link, li) < link_key(current, ci) {
                    chosen[link.child] = Some(li);
                }
                extra_parents[slot].push(li);
            }
        }
    }

    let parent_name = |items: &[Item], r: &ParentRef| match r {
        ParentRef::Top => "the document".to_string(),
        ParentRef::Item(p) => describe(&items[*p]),
        ParentRef::Unknown(s) => format!("`{s}`"),
    };
    if !extra_parents.is_empty() {
        let names: Vec<String> = extra_parents
            .iter()
            .map(|group| {
                let child = group[0];
                let kept = chosen[child].map(|ci| parent_name(&items, &links[ci].parent));
                format!(
                    "{} under {}",
                    describe(&items[child]),
                    kept.unwrap_or_default()
                )
            })
            .collect();
        warnings.push(format!(
            "{} item(s) have more than one parent; each was placed under its first parent only: {}",
            names.len(),
            list_some(&names)
        ));
    }

    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut sequence: Vec<Option<i64>> = vec![None; n];
    let mut outside = Vec::new();
    let mut unlinked = Vec::new();
    for (i, choice) in chosen.iter().enumerate() {
        match *choice {
            Some(ci) => {
                if let ParentRef::Item(p) = links[ci].parent {
                    parent[i] = Some(p);
                }
                sequence[i] = links[ci].sequence;
            }
            None => match unknown_parent[i] {
                Some(li) => outside.push(format!(
                    "{} (parent {})",
                    describe(&items[i]),
                    parent_name(&items, &links[li].parent)
                )),
                None if unlinked_is_orphan => unlinked.push(describe(&items[i])),
                None => {}
            },
        }
    }
    if !outside.is_empty() {
        warnings.push(format!(
            "{} item(s) name a parent that is not in the package and were placed at the top level: {}",
            outside.len(),
            list_some(&outside)
        ));
    }
    if !unlinked.is_empty() {
        warnings.push(format!(
            "{} item(s) have no isChildOf association and were placed at the top level: {}",
            unlinked.len(),
            list_some(&unlinked)
        ));
    }

    check_cycles(&items, &parent, source_name)?;

    // Children of each item, and the top level, each sorted once.
    let mut roots = Vec::new();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    let order = |&a: &usize, &b: &usize| {
        sibling_order(&items[a], sequence[a], a, &items[b], sequence[b], b)
    };
    roots.sort_by(order);
    for list in &mut children {
        if list.len() > 1 {
            list.sort_by(order);
        }
    }

    // Pre-order walk with an explicit stack.
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    let mut new_index: Vec<usize> = vec![usize::MAX; n];
    let mut out: Vec<Item> = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&r| (r, 0)).collect();
    while let Some((old, depth)) = stack.pop() {
        let Some(mut item) = slots[old].take() else {
            continue;
        };
        if depth >= MAX_DEPTH {
            return Err(ImportError::invalid(
                source_name,
                format!(
                    "the hierarchy is more than {MAX_DEPTH} levels deep: item {} is at level {}",
                    describe(&item),
                    depth + 1
                ),
            ));
        }
        item.depth = depth as u16;
        item.parent = parent[old].map(|p| new_index[p]);
        new_index[old] = out.len();
        out.push(item);
        stack.extend(children[old].iter().rev().map(|&c| (c, depth + 1)));
    }
    Ok((out, warnings))
}

/// Refuses a package whose chosen parents form a loop, naming the items in it.
fn check_cycles(
    items: &[Item],
    parent: &[Option<usize>],
    source_name: &str,
) -> Result<(), ImportError> {
    const UNSEEN: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![UNSEEN; items.len()];
    let mut path = Vec::new();
    for start in 0..items.len() {
        path.clear();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                UNSEEN => {
                    state[c] = ON_PATH;
                    path.push(c);
                    cur = parent[c];
                }
                ON_PATH => {
                    let from = path.iter().position(|&p| p == c).unwrap_or(0);
                    let cycle = path.get(from..).unwrap_or_default();
                    let names: Vec<String> = cycle.iter().map(|&i| describe(&items[i])).collect();
                    return Err(ImportError::invalid(
                        source_name,
                        format!(
                            "isChildOf cycle among {} items: {}",
                            cycle.len(),
                            list_some(&names)
                        ),
                    ));
                }
                _ => break,
            }
        }
        for &p in &path {
            state[p] = DONE;
        }
    }
    Ok(())
}

/// Sibling order: `sequenceNumber` (missing last), `listEnumeration`, `humanCodingScheme`
/// (natural order, empty last), then source order.
fn sibling_order(
    a: &Item,
    seq_a: Option<i64>,
    ia: usize,
    b: &Item,
    seq_b: Option<i64>,
    ib: usize,
) -> Ordering {
    let seq = match (seq_a, seq_b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    seq.then_with(|| natural_cmp_empty_last(&a.list_enumeration, &b.list_enumeration))
        .then_with(|| natural_cmp_empty_last(&a.code, &b.code))
        .then(ia.cmp(&ib))
}

fn natural_cmp_empty_last(a: &str, b: &str) -> Ordering {
    match (a.trim().is_empty(), b.trim().is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => natural_cmp(a.trim(), b.trim()),
    }
}

/// Natural order: runs of ASCII digits compare by value ("2" before "10"), other
/// characters compare without regard to case; ties fall back to plain string order.
/// Allocation-free, as it runs inside sorts of thousands of siblings.
pub(super) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let mut x = a.chars().peekable();
    let mut y = b.chars().peekable();
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let by_value = cmp_digit_runs(&mut x, &mut y);
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    let by_char = c.to_lowercase().cmp(d.to_lowercase());
                    if by_char != Ordering::Equal {
                        return by_char;
                    }
                }
                x.next();
                y.next();
            }
        }
    }
}

/// Compares the digit runs both iterators start with by value, consuming them (leading
/// zeros ignored; a longer run of significant digits is the larger number).
fn cmp_digit_runs(x: &mut Peekable<Chars<'_>>, y: &mut Peekable<Chars<'_>>) -> Ordering {
    while x.next_if_eq(&'0').is_some() {}
    while y.next_if_eq(&'0').is_some() {}
    let mut first_difference = Ordering::Equal;
    loop {
        match (
            x.next_if(char::is_ascii_digit),
            y.next_if(char::is_ascii_digit),
        ) {
            (Some(c), Some(d)) => {
                if first_difference == Ordering::Equal {
                    first_difference = c.cmp(&d);
                }
            }
            (Some(_), None) => return Ordering::Greater,
            (None, Some(_)) => return Ordering::Less,
            (None, None) => return first_difference,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, code: &str, list: &str) -> Item {
        Item {
            identifier: id.into(),
            code: code.into(),
            list_enumeration: list.into(),
            statement: format!("statement {id}"),
            ..Item::default()
        }
    }

    fn link(child: usize, parent: ParentRef, sequence: Option<i64>) -> ParentLink {
        ParentLink {
            child,
            parent,
            sequence,
        }
    }

    fn ids(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| i.identifier.as_str()).collect()
    }

    #[test]
    fn shortened_text_is_one_line_without_control_characters() {
        assert_eq!(shorten("a\n b\x1b[2J  c", 40), "a b\u{fffd}[2J c");
        assert_eq!(shorten("abcdef", 4), "abc\u{2026}");
        assert_eq!(shorten("abcd", 4), "abcd");
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut v = vec![
            "1.10", "1.2", "1.1", "A.10", "a.9", "10", "9", "1.02", "", "b",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "", "1.1", "1.02", "1.2", "1.10", "9", "10", "a.9", "A.10", "b"
            ]
        );
        assert_eq!(natural_cmp("2", "10"), Ordering::Less);
        assert_eq!(natural_cmp("x10y", "x9z"), Ordering::Greater);
        // Huge numbers compare without overflow; equal values with leading zeros tie-break.
        assert_eq!(
            natural_cmp("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
        assert_eq!(natural_cmp("01", "1"), Ordering::Less);
        // Non-ASCII text is walked by characters, never sliced.
        assert_eq!(natural_cmp("é2", "é10"), Ordering::Less);
        assert_eq!(natural_cmp("𝑑", "e"), Ordering::Greater);
    }

    #[test]
    fn siblings_follow_sequence_then_enumeration_then_code_then_source_order() {
        let items = vec![
            item("root", "R", ""),
            item("no-seq-code-b", "R.b", ""),
            item("seq-2", "R.z", ""),
            item("seq-1", "R.y", ""),
            item("no-seq-list-10", "R.a", "10"),
            item("no-seq-list-2", "R.c", "2"),
            item("no-seq-code-a", "R.a", ""),
            item("no-seq-code-a-again", "R.a", ""),
        ];
        let links: Vec<_> = (1..8)
            .map(|c| {
                let seq = match c {
                    2 => Some(2),
                    3 => Some(1),
                    _ => None,
                };
                link(c, ParentRef::Item(0), seq)
            })
            .chain([link(0, ParentRef::Top, None)])
            .collect();
        let (out, warnings) = arrange(items, &links, "t", true).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            ids(&out),
            [
                "root",
                "seq-1",
                "seq-2",
                "no-seq-list-2",
                "no-seq-list-10",
                "no-seq-code-a",
                "no-seq-code-a-again",
                "no-seq-code-b"
            ]
        );
        assert!(out[1..].iter().all(|i| i.depth == 1 && i.parent == Some(0)));
        assert_eq!((out[0].depth, out[0].parent), (0, None));
    }

    #[test]
    fn pre_order_puts_each_subtree_after_its_root() {
        // a { b { d } c }, e — given in scrambled source order.
        let items = vec![
            item("d", "1.1.1", ""),
            item("e", "2", ""),
            item("c", "1.2", ""),
            item("a", "1", ""),
            item("b", "1.1", ""),
        ];
        let links = [
            link(0, ParentRef::Item(4), None),
            link(1, ParentRef::Top, None),
            link(2, ParentRef::Item(3), None),
            link(3, ParentRef::Top, None),
            link(4, ParentRef::Item(3), None),
        ];
        let (out, _) = arrange(items, &links, "t", true).unwrap();
        assert_eq!(ids(&out), ["a", "b", "d", "c", "e"]);
        let shape: Vec<_> = out.iter().map(|i| (i.depth, i.parent)).collect();
        assert_eq!(
            shape,
            [
                (0, None),
                (1, Some(0)),
                (2, Some(1)),
                (1, Some(0)),
                (0, None)
            ]
        );
    }

    #[test]
    fn orphans_go_to_the_top_with_a_warning_naming_them() {
        let items = vec![
            item("a", "A", ""),
            item("lost", "L", ""),
            item("loose", "", ""),
        ];
        let links = [
            link(0, ParentRef::Top, Some(1)),
            link(1, ParentRef::Unknown("elsewhere".into()), Some(1)),
        ];
        let (out, warnings) = arrange(items.clone(), &links, "t", true).unwrap();
        // The orphan's own sequence number is not used: it sorts after the linked item.
        assert_eq!(ids(&out), ["a", "lost", "loose"]);
        assert!(out.iter().all(|i| i.depth == 0 && i.parent.is_none()));
        assert_eq!(
            warnings,
            [
                "1 item(s) name a parent that is not in the package and were placed at the top level: `lost` (L) (parent `elsewhere`)",
                "1 item(s) have no isChildOf association and were placed at the top level: `loose`"
            ]
        );
        // A spreadsheet row without a parent is simply top-level.
        let (_, warnings) = arrange(items, &links, "t", false).unwrap();
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn an_item_with_two_parents_takes_the_first_by_sequence() {
        let items = vec![
            item("p1", "P1", ""),
            item("p2", "P2", ""),
            item("c", "C", ""),
        ];
        let links = [
            link(0, ParentRef::Top, None),
            link(1, ParentRef::Top, None),
            link(2, ParentRef::Item(0), Some(5)),
            link(2, ParentRef::Item(1), Some(3)),
            link(2, ParentRef::Item(1), Some(3)),
        ];
        let (out, warnings) = arrange(items, &links, "t", true).unwrap();
        assert_eq!(ids(&out), ["p1", "p2", "c"]);
        assert_eq!(out[2].parent, Some(1));
        assert_eq!(
            warnings,
            [
                "1 item(s) have more than one parent; each was placed under its first parent only: `c` (C) under `p2` (P2)"
            ]
        );
    }

    #[test]
    fn cycles_are_refused_naming_their_items() {
        let items = vec![
            item("top", "", ""),
            item("x", "X", ""),
            item("y", "Y", ""),
            item("z", "Z", ""),
        ];
        let links = [
            link(0, ParentRef::Top, None),
            link(1, ParentRef::Item(3), None),
            link(2, ParentRef::Item(1), None),
            link(3, ParentRef::Item(2), None),
        ];
        let err = arrange(items.clone(), &links, "f.json", true)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "f.json: isChildOf cycle among 3 items: `x` (X), `z` (Z), `y` (Y)"
        );
        let err = arrange(items, &[link(1, ParentRef::Item(1), None)], "f.json", true)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "f.json: isChildOf cycle: item `x` (X) is its own parent"
        );
    }

    #[test]
    fn depth_limit_is_exact_and_long_chains_do_not_recurse() {
        let chain = |len: usize| {
            let items: Vec<Item> = (0..len).map(|i| item(&format!("i{i}"), "", "")).collect();
            let links: Vec<ParentLink> = (0..len)
                .map(|i| {
                    link(
                        i,
                        if i == 0 {
                            ParentRef::Top
                        } else {
                            ParentRef::Item(i - 1)
                        },
                        None,
                    )
                })
                .collect();
            (items, links)
        };
        let (items, links) = chain(MAX_DEPTH);
        let (out, _) = arrange(items, &links, "t", true).unwrap();
        assert_eq!(out.last().map(|i| i.depth as usize), Some(MAX_DEPTH - 1));
        let (items, links) = chain(MAX_DEPTH + 1);
        let err = arrange(items, &links, "t", true).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "t: the hierarchy is more than {MAX_DEPTH} levels deep: item `i{MAX_DEPTH}` is at level {}",
                MAX_DEPTH + 1
            )
        );
        let (items, links) = chain(200_000);
        assert!(arrange(items, &links, "t", true).is_err());
    }
}
