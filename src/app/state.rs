//! Everything the screen shows, in one place: `update` changes it, `ui::draw` reads it.
use super::consensus::{Choice, Remark};
use super::history::History;
use super::keymap::Keymap;
use super::layout::Areas;
use super::link_flow::LinkFlow;
use super::pane::Pane;
use super::picker::Picker;
use super::search::Search;
use super::session::{Session, status_bit};
use super::suggestions::{self, Suggestions};
use crate::model::{AssociationType, LeafState, Link, LinkStatus, Side, leaf_state, roll_up};
use crate::store::{ChangeFeed, FrameworkSummary, Workshop};
use crate::theme::Theme;

/// Left pane (educator outcomes) and right pane (employer competencies).
pub const LEFT: usize = 0;
pub const RIGHT: usize = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Pane(usize),
    Detail,
    /// The suggestion pane's list.
    Suggest,
}

/// A link between the two frameworks on screen, with its item on each side.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenLink {
    pub link: Link,
    /// Where the link stands in the session, from its current votes.
    pub status: LinkStatus,
    /// Item index in the left and the right framework.
    pub ends: [usize; 2],
    /// The revision the screen last read; an edit names it so a newer change is not lost.
    pub revision: i64,
}

/// The selected item and what it links to; recomputed when the selection or links change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub pane: usize,
    pub item: Option<usize>,
    /// Indices into `State::links`, in the other side's tree order.
    pub links: Vec<usize>,
    /// Items on the other side linked to the selection, sorted.
    pub others: Vec<usize>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Detail {
    /// Selected link, an index into `Selection::links`.
    pub link: usize,
    pub scroll: usize,
}

/// Counts for the status bar, recounted when links or marks change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub links: usize,
    pub outcomes: usize,
    pub outcomes_linked: usize,
    pub outcomes_marked: usize,
    pub competencies: usize,
    pub competencies_linked: usize,
    pub competencies_marked: usize,
    /// Links on screen by status, in `LinkStatus::ALL` order.
    pub by_status: [usize; 4],
}

impl Progress {
    /// Leaves with a link or marked "no equivalent": the same rule on both sides.
    pub fn outcomes_decided(&self) -> usize {
        self.outcomes_linked + self.outcomes_marked
    }
    pub fn competencies_decided(&self) -> usize {
        self.competencies_linked + self.competencies_marked
    }
    /// Leaves with neither: the work still to do.
    pub fn outcomes_undecided(&self) -> usize {
        self.outcomes - self.outcomes_decided()
    }
    pub fn competencies_undecided(&self) -> usize {
        self.competencies - self.competencies_decided()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Done,
    Error,
}

/// A one-line message in the status bar until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub tone: Tone,
    pub text: String,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Help {
        scroll: usize,
    },
    /// The session log, read when opened, oldest first.
    Log {
        scroll: usize,
        entries: Vec<crate::model::HistoryEntry>,
    },
    Picker(Picker),
    Link(Box<LinkFlow>),
    /// A short menu: a verdict, who is at the keyboard.
    Choice(Choice),
    /// A line of text for a vote, a comment or a verdict.
    Remark(Remark),
    /// `:` and the start of a code.
    Jump(super::jump::JumpTo),
    /// Every link on screen, sorted and filtered.
    Links(Box<super::link_list::LinkList>),
    /// A join link just made, with its QR code, shown once.
    Invite(Box<super::invite::Shown>),
}

/// How much the drawing code shows, for scrolling. `app` never looks at drawing code:
/// the front end that draws hands these in (`ui::MEASURE`); until it does, nothing scrolls.
#[derive(Clone, Copy)]
pub struct Measure {
    /// The detail pane's line count at the current size, and the line each of the
    /// selection's links starts on.
    pub detail: fn(&State) -> (usize, Vec<usize>),
    /// The help popup's line count and the lines it shows at once.
    pub help: fn(&State) -> (usize, usize),
    /// Where the link wizard's menu entries are, for clicks (its statements above them
    /// take as many lines as they wrap to).
    pub link_entries: fn(&State) -> Option<ratatui::layout::Rect>,
}

impl Default for Measure {
    fn default() -> Measure {
        Measure {
            detail: |_| (0, Vec::new()),
            help: |_| (0, 0),
            link_entries: |_| None,
        }
    }
}

impl std::fmt::Debug for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Measure")
    }
}

pub struct State {
    pub panes: [Pane; 2],
    pub links: Vec<ScreenLink>,
    /// The pane whose cursor item is selected (the detail pane shows it).
    pub active: usize,
    pub focus: Focus,
    pub selection: Selection,
    pub detail: Detail,
    pub popup: Option<Popup>,
    pub search: Option<Search>,
    pub history: History,
    pub progress: Progress,
    pub message: Option<Message>,
    /// Terminal size; layout (and so page sizes and mouse hits) follows from it.
    pub size: (u16, u16),
    pub keymap: Keymap,
    pub themes: Vec<crate::theme::Theme>,
    pub theme: usize,
    pub frameworks: Vec<FrameworkSummary>,
    pub default_type: AssociationType,
    /// The strength last chosen: the next link's strength menu starts on it.
    pub default_strength: crate::model::Strength,
    /// The suggestion pane: its indexes, its cached list, open or not.
    pub suggestions: Suggestions,
    /// Participants, votes, verdicts, and the detail pane's record of the selection.
    pub session: Session,
    /// The coverage matrix, when open: it takes the place of the trees and detail pane.
    pub matrix: Option<super::matrix::Matrix>,
    /// Presentation mode, for a wall: whole statements in the trees, a taller detail
    /// pane, a one-line status bar.
    pub present: bool,
    /// The focus view: the pair at hand (the link votes act on, or the two cursor items)
    /// side by side in full, in place of the trees; tree keys still move and vote.
    pub focus_view: bool,
    /// The tree item a mouse press went down on: released over an item of the other
    /// tree, the two are linked (the wizard opens).
    pub drag_from: Option<(usize, usize)>,
    /// The matrix level the person last chose: it reopens there.
    pub matrix_level: Option<u16>,
    /// Bumped by every change of links, votes, verdicts or comments, so the detail
    /// pane's record, read before it, is read again.
    pub generation: u64,
    /// What others changed in the workshop since the screen last looked (`live::sync`).
    pub feed: ChangeFeed,
    pub measure: Measure,
    /// What the figures were counted by when last looked at: (participants present,
    /// competencies judged per pane); `None` until the pair is first counted.
    pub counted_by: Option<(bool, [bool; 2])>,
    /// A change in how the figures are counted, said once with the next message.
    pub notice: Option<String>,
}

impl State {
    /// A screen on the workshop: the remembered pair of frameworks, the only pair, or
    /// the picker when there are more than two to choose from.
    pub fn new(
        ws: &mut Workshop,
        keymap: Keymap,
        themes: Vec<Theme>,
        theme: usize,
    ) -> anyhow::Result<State> {
        let default_type = ws
            .setting("link.default_type")?
            .and_then(|t| t.parse().ok())
            .unwrap_or(AssociationType::ExactMatchOf);
        let default_strength = ws
            .setting("link.default_strength")?
            .and_then(|t| t.parse().ok())
            .unwrap_or(crate::model::Strength::Major);
        let mut state = State {
            panes: [Pane::default(), Pane::default()],
            links: Vec::new(),
            active: LEFT,
            focus: Focus::Pane(LEFT),
            selection: Selection::default(),
            detail: Detail::default(),
            popup: None,
            search: None,
            history: History::default(),
            progress: Progress::default(),
            message: None,
            size: (80, 24),
            keymap,
            theme: theme.min(themes.len().saturating_sub(1)),
            themes: if themes.is_empty() {
                vec![Theme::default()]
            } else {
                themes
            },
            frameworks: ws.framework_heads()?,
            default_type,
            default_strength,
            suggestions: Suggestions::default(),
            session: Session::load(ws)?,
            generation: 0,
            matrix: None,
            matrix_level: None,
            present: false,
            focus_view: false,
            drag_from: None,
            feed: ChangeFeed::new(ws)?,
            measure: Measure::default(),
            counted_by: None,
            notice: None,
        };
        let find = |key: &str| -> anyhow::Result<Option<i64>> {
            let id = ws.setting(key)?;
            Ok(id
                .and_then(|id| state.frameworks.iter().find(|f| f.identifier == id))
                .map(|f| f.id))
        };
        let (left, right) = (find("screen.left")?, find("screen.right")?);
        match (left, right, state.frameworks.len()) {
            (Some(l), Some(r), _) if l != r => state.load_pair(ws, Some(l), Some(r))?,
            (_, _, 2) => {
                // Educator on the left when the sides say so; otherwise in stored order.
                let mut two = [state.frameworks[0].clone(), state.frameworks[1].clone()];
                two.sort_by_key(|f| f.side != crate::model::Side::Educator);
                ws.set_setting("screen.left", &two[0].identifier)?;
                ws.set_setting("screen.right", &two[1].identifier)?;
                state.load_pair(ws, Some(two[0].id), Some(two[1].id))?;
            }
            (_, _, 0 | 1) => {
                let only = state.frameworks.first().map(|f| f.id);
                state.load_pair(ws, only, None)?;
                state.message = Some(Message {
                    tone: Tone::Info,
                    text: "the workshop needs two frameworks: add them with `crosswalk import FILE --side educator|employer`".into(),
                });
            }
            _ => {
                // The picker shows item and link counts: worth counting only now.
                state.frameworks = ws.frameworks()?;
                state.popup = Some(Popup::Picker(Picker::new(&state.frameworks)));
            }
        }
        if state.popup.is_none() && state.session.is_running() && state.session.actor.is_none() {
            super::consensus::start_participant(&mut state);
        }
        Ok(state)
    }

    /// Loads two frameworks into the panes and indexes the links between them. From a
    /// file, the right one loads on a second connection at the same time (first frame sooner).
    pub fn load_pair(
        &mut self,
        ws: &Workshop,
        left: Option<i64>,
        right: Option<i64>,
    ) -> anyhow::Result<()> {
        let load = |w: &Workshop, id: Option<i64>| -> anyhow::Result<Pane> {
            Ok(id
                .map(|id| w.load_framework_for_screen(id))
                .transpose()?
                .map(Pane::new)
                .unwrap_or_default())
        };
        let (l, r) =
            if ws.path() != std::path::Path::new(":memory:") && left.is_some() && right.is_some() {
                let path = ws.path().to_path_buf();
                std::thread::scope(|s| {
                    let other = s.spawn(move || load(&Workshop::open(&path)?, right));
                    let l = load(ws, left);
                    (
                        l,
                        other.join().unwrap_or_else(|_| {
                            Err(anyhow::anyhow!("loading the right framework failed"))
                        }),
                    )
                })
            } else {
                (load(ws, left), load(ws, right))
            };
        self.panes = [l?, r?];
        self.links.clear();
        if let (Some(l), Some(r)) = (left, right) {
            for placed in ws.links_between_frameworks(l, r)? {
                let [a, b] = placed.positions;
                if a < self.panes[LEFT].counts.len() && b < self.panes[RIGHT].counts.len() {
                    self.panes[LEFT].counts[a] += 1;
                    self.panes[RIGHT].counts[b] += 1;
                    self.links.push(ScreenLink {
                        status: self.session.status(&placed.link.identifier),
                        link: placed.link,
                        ends: placed.positions,
                        revision: placed.revision,
                    });
                }
            }
        }
        self.suggestions.load(ws.rejected_pairs()?);
        self.search = None;
        self.history = History::default();
        let me = self.session.actor.as_ref().map_or("", |p| p.name.as_str());
        self.history.switch(me);
        self.active = LEFT;
        self.focus = Focus::Pane(LEFT);
        // Other frameworks are counted afresh, not announced as a change.
        self.counted_by = None;
        self.after_links_changed();
        Ok(())
    }

    /// (framework, item) identifiers under each pane's cursor, to put them back after
    /// the panes are loaded again.
    pub fn cursor_items(&self) -> Vec<(String, String)> {
        self.panes
            .iter()
            .filter_map(|p| {
                Some((
                    p.fw.identifier.clone(),
                    p.fw.items[p.item()?].identifier.clone(),
                ))
            })
            .collect()
    }

    /// Each pane's cursor back on its item, when the pane shows that framework again
    /// (on either side: `p` may swap them).
    pub fn put_cursors_back(&mut self, kept: &[(String, String)]) {
        let h = self.tree_height();
        for pane in &mut self.panes {
            let found = kept
                .iter()
                .find(|(fw, _)| *fw == pane.fw.identifier)
                .and_then(|(_, item)| pane.fw.index_of(item));
            if let Some(i) = found {
                pane.reveal(i, h);
            }
        }
        self.reselect();
    }

    pub fn theme(&self) -> &Theme {
        &self.themes[self.theme]
    }

    pub fn areas(&self) -> Areas {
        Areas::of(
            ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1),
            self.suggestions.open,
            self.present,
        )
    }

    /// Rows a tree pane shows at once.
    pub fn tree_height(&self) -> usize {
        self.areas().tree_rows()
    }

    /// The items a link joins on this screen, or `None` when it is not between them.
    fn ends_of(&self, link: &Link) -> Option<[usize; 2]> {
        let [l, r] = &self.panes;
        // A scan, not a map: this runs once per change, and a map of 20,000 identifiers
        // would cost more at startup than all the scans of a session.
        let find = |pane: &Pane, end: &crate::model::LinkEnd| {
            (pane.fw.identifier == end.framework_identifier)
                .then(|| pane.fw.index_of(&end.item_identifier))
                .flatten()
        };
        if let (Some(a), Some(b)) = (find(l, &link.origin), find(r, &link.destination)) {
            return Some([a, b]);
        }
        Some([find(l, &link.destination)?, find(r, &link.origin)?])
    }

    /// Adds a link just drawn (revision 1) to the screen's index and counts (not to the store).
    pub fn index_link(&mut self, link: Link) {
        self.index_link_at(link, 1);
    }

    pub fn index_link_at(&mut self, link: Link, revision: i64) {
        if let Some(ends) = self.ends_of(&link) {
            self.panes[LEFT].counts[ends[0]] += 1;
            self.panes[RIGHT].counts[ends[1]] += 1;
            self.links.push(ScreenLink {
                status: self.session.status(&link.identifier),
                link,
                ends,
                revision,
            });
        }
    }

    pub fn unindex_link(&mut self, identifier: &str) {
        if let Some(pos) = self
            .links
            .iter()
            .position(|l| l.link.identifier == identifier)
        {
            let gone = self.links.swap_remove(pos);
            self.panes[LEFT].counts[gone.ends[0]] -= 1;
            self.panes[RIGHT].counts[gone.ends[1]] -= 1;
        }
    }

    /// Puts a link as it now is (at `revision`) in place of the screen's copy.
    pub fn replace_link(&mut self, link: Link, revision: i64) {
        match self
            .links
            .iter_mut()
            .find(|l| l.link.identifier == link.identifier)
        {
            Some(slot) => {
                slot.link = link;
                slot.revision = revision;
            }
            None => self.index_link_at(link, revision),
        }
    }

    /// The link joining two items on screen.
    pub fn link_between(&self, left: usize, right: usize) -> Option<&ScreenLink> {
        self.links.iter().find(|l| l.ends == [left, right])
    }

    /// Recounts progress, re-applies filters that depend on links, refreshes the selection.
    pub fn after_links_changed(&mut self) {
        self.generation += 1;
        // Outcomes and competencies by side, not by position: `p` may put either left.
        let educator_right = self.panes[RIGHT].fw.side == Side::Educator
            && self.panes[LEFT].fw.side == Side::Employer;
        let (e, j) = if educator_right {
            (RIGHT, LEFT)
        } else {
            (LEFT, RIGHT)
        };
        let (o, ol, om) = self.panes[e].tally();
        let (c, cl, cm) = self.panes[j].tally();
        let mut by_status = [0; 4];
        for sl in &self.links {
            by_status[sl.status as usize] += 1;
        }
        self.progress = Progress {
            by_status,
            links: self.links.len(),
            outcomes: o,
            outcomes_linked: ol,
            outcomes_marked: om,
            competencies: c,
            competencies_linked: cl,
            competencies_marked: cm,
        };
        let height = self.tree_height();
        self.recount_session();
        self.explain_counting();
        for p in 0..2 {
            if self.panes[p].filters_links() {
                let keep = self.search_keep(p);
                self.panes[p].refilter(keep, height);
            }
        }
        self.suggestions.fresh = false;
        self.reselect();
    }

    /// Each item's link statuses, verdict and coverage, from the links on screen: one
    /// pass over links and items, run when links, votes or verdicts change.
    fn recount_session(&mut self) {
        for pane in &mut self.panes {
            pane.statuses.iter_mut().for_each(|s| *s = 0);
        }
        for sl in &self.links {
            for p in 0..2 {
                self.panes[p].statuses[sl.ends[p]] |= status_bit(sl.status);
            }
        }
        let agreed = status_bit(LinkStatus::Agreed);
        for pane in &mut self.panes {
            let fw = &pane.fw;
            for (v, it) in pane.verdicts.iter_mut().zip(&fw.items) {
                *v = self.session.verdict(&it.identifier);
            }
            // As `model::coverage`: once anyone judged a competency, only validated ones count.
            let validated_only =
                fw.side == Side::Employer && pane.verdicts.iter().any(Option::is_some);
            let mut counts: Vec<(u32, u32)> = (0..fw.items.len())
                .map(|i| {
                    if !fw.is_leaf(i) {
                        return (0, 0);
                    }
                    let state = leaf_state(
                        fw.items[i].no_equivalent,
                        validated_only,
                        pane.verdicts[i],
                        pane.statuses[i] & agreed != 0,
                    );
                    (
                        (state == LeafState::Covered) as u32,
                        state.is_counted() as u32,
                    )
                })
                .collect();
            roll_up(fw, &mut counts, |c| (&mut c.0, &mut c.1));
            pane.coverage = fw
                .items
                .iter()
                .zip(&counts)
                .filter(|(it, _)| it.parent.is_none())
                .fold((0, 0), |t, (_, c)| (t.0 + c.0, t.1 + c.1));
            pane.judged = validated_only;
            (pane.covered, pane.counted) = counts.into_iter().unzip();
        }
    }

    /// Coverage and link statuses are counted differently once a competency is judged
    /// (only validated ones count) and once anyone takes part (links need the room's
    /// agreement). The figures jump when that happens: say why, the moment it does.
    fn explain_counting(&mut self) {
        let now = (
            self.session.is_running(),
            [self.panes[LEFT].judged, self.panes[RIGHT].judged],
        );
        let Some(before) = self.counted_by.replace(now) else {
            return;
        };
        let mut said = Vec::new();
        match (before.0, now.0) {
            (false, true) => said.push(
                "a participant joined: links now count only once the room agrees, so every link is proposed until voted on".to_string(),
            ),
            (true, false) => said.push(
                "no participants any more: every link counts as agreed again".to_string(),
            ),
            _ => {}
        }
        for p in 0..2 {
            match (before.1[p], now.1[p]) {
                (false, true) => said.push(
                    "a competency was judged: coverage now counts only validated competencies, so it drops until more are validated".to_string(),
                ),
                (true, false) => said.push(
                    "no competency is judged any more: coverage counts every competency again".to_string(),
                ),
                _ => {}
            }
        }
        if !said.is_empty() {
            self.notice = Some(said.join("; "));
        }
    }

    /// Puts a pending notice after the message of the action that caused it.
    pub fn deliver_notice(&mut self) {
        let Some(notice) = self.notice.take() else {
            return;
        };
        match &mut self.message {
            Some(m) => m.text = format!("{} · {notice}", m.text),
            None => self.say(Tone::Info, notice),
        }
    }

    /// The search filter for pane `p`, while a query is being typed there.
    pub fn search_keep(&self, p: usize) -> Option<Vec<bool>> {
        let s = self
            .search
            .as_ref()
            .filter(|s| s.pane == p && s.typing && !s.query.text.is_empty())?;
        let mut keep = vec![false; self.panes[p].fw.items.len()];
        s.hits.iter().for_each(|&i| keep[i] = true);
        Some(keep)
    }

    /// Recomputes what the selected item links to (for highlights and the detail pane).
    pub fn reselect(&mut self) {
        let pane = self.active;
        let item = self.panes[pane].item();
        let other = 1 - pane;
        let mut links: Vec<usize> = match item {
            Some(i) => (0..self.links.len())
                .filter(|&k| self.links[k].ends[pane] == i)
                .collect(),
            None => Vec::new(),
        };
        links.sort_by_key(|&k| self.links[k].ends[other]);
        let mut others: Vec<usize> = links.iter().map(|&k| self.links[k].ends[other]).collect();
        others.dedup();
        if self.selection.item != item || self.selection.pane != pane {
            self.detail = Detail::default();
        }
        self.detail.link = self.detail.link.min(links.len().saturating_sub(1));
        self.selection = Selection {
            pane,
            item,
            links,
            others,
        };
        suggestions::refresh(self);
    }

    /// The link selected in the detail pane.
    pub fn detail_link(&self) -> Option<&ScreenLink> {
        self.selection
            .links
            .get(self.detail.link)
            .map(|&k| &self.links[k])
    }

    /// What the focus view shows: (left item, right item) and the link a vote now acts
    /// on, by the votes' own rule (`consensus::target_link`): in the detail pane its
    /// selected link; from a tree the link between the two cursors, else the selected
    /// item's only link; else the two cursor items, with no link.
    pub fn focus_pair(&self) -> Option<([usize; 2], Option<&ScreenLink>)> {
        if self.focus == Focus::Detail
            && let Some(sl) = self.detail_link()
        {
            return Some((sl.ends, Some(sl)));
        }
        let (l, r) = (self.panes[LEFT].item(), self.panes[RIGHT].item());
        if let (Some(l), Some(r)) = (l, r)
            && let Some(sl) = self.link_between(l, r)
        {
            return Some(([l, r], Some(sl)));
        }
        if let [one] = self.selection.links.as_slice() {
            let sl = &self.links[*one];
            return Some((sl.ends, Some(sl)));
        }
        Some(([l?, r?], None))
    }

    /// How far the detail pane can scroll at the current size.
    pub fn detail_max_scroll(&self) -> usize {
        let h = super::layout::inner(self.areas().detail).height as usize;
        (self.measure.detail)(self).0.saturating_sub(h)
    }

    /// How far help can scroll at the current size.
    pub fn help_max_scroll(&self) -> usize {
        let (lines, shown) = (self.measure.help)(self);
        lines.saturating_sub(shown)
    }

    /// Scrolls the detail pane so the selected link (and its note, if it fits) is in view.
    pub fn follow_link(&mut self) {
        let h = super::layout::inner(self.areas().detail).height as usize;
        let (lines, link_rows) = (self.measure.detail)(self);
        let Some(&first) = link_rows.get(self.detail.link) else {
            return;
        };
        let last = link_rows.get(self.detail.link + 1).map_or(lines, |&n| n) - 1;
        let mut scroll = self.detail.scroll;
        if last >= scroll + h {
            scroll = last + 1 - h.max(1);
        }
        self.detail.scroll = scroll.min(first);
    }

    pub fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.message = Some(Message {
            tone,
            text: text.into(),
        });
    }
}
