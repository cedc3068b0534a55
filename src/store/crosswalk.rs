//! What the crosswalk document says about itself, wherever it is written (`crosswalk
//! export`, the CASE REST API of `crosswalk serve`), so both give the same document.
use super::{Result, Workshop};
use crate::case::{self, CrosswalkInfo, NodeRef};
use crate::model::Link;
use std::collections::HashMap;

impl Workshop {
    /// The frameworks `links` join, as `(id, NodeRef)`, in workshop order.
    fn frameworks_of(&self, links: &[Link]) -> Result<Vec<(i64, NodeRef)>> {
        let mut out = Vec::new();
        for f in self.frameworks()? {
            let used = links.iter().any(|l| {
                l.origin.framework_identifier == f.identifier
                    || l.destination.framework_identifier == f.identifier
            });
            if used {
                let fw = self.framework_header(f.id)?;
                out.push((
                    f.id,
                    NodeRef {
                        identifier: fw.identifier,
                        uri: fw.uri,
                        title: fw.title,
                    },
                ));
            }
        }
        Ok(out)
    }

    /// The crosswalk `CFDocument` for `links`: the same two frameworks make the same
    /// crosswalk (a UUID v5 of theirs) in every workshop; titled after them unless `title`.
    pub fn crosswalk_info(
        &mut self,
        links: &[Link],
        title: Option<String>,
        creator: String,
    ) -> Result<CrosswalkInfo> {
        let frameworks: Vec<NodeRef> = self
            .frameworks_of(links)?
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        let identifier = if frameworks.is_empty() {
            self.crosswalk_identifier()?
        } else {
            let ids: Vec<&str> = frameworks.iter().map(|f| f.identifier.as_str()).collect();
            case::crosswalk_identifier(&ids)
        };
        let title = title.unwrap_or_else(|| {
            let names: Vec<&str> = frameworks.iter().map(|f| f.title.as_str()).collect();
            if names.is_empty() {
                "Crosswalk".to_string()
            } else {
                format!("Crosswalk: {}", names.join(" / "))
            }
        });
        let last_change = links
            .iter()
            .map(|l| l.changed)
            .max()
            .unwrap_or_else(time::OffsetDateTime::now_utc);
        Ok(CrosswalkInfo {
            identifier,
            title,
            creator,
            frameworks,
            last_change,
        })
    }

    /// The `abbreviatedStatement` of every item of the frameworks `links` join, by item
    /// identifier: what the ends of the crosswalk's associations are titled with.
    pub fn abbreviated_statements(&self, links: &[Link]) -> Result<HashMap<String, String>> {
        let mut out = HashMap::new();
        for (id, _) in self.frameworks_of(links)? {
            for item in self.load_framework(id)?.items {
                if !item.abbreviated.trim().is_empty() {
                    out.insert(item.identifier, item.abbreviated);
                }
            }
        }
        Ok(out)
    }
}
