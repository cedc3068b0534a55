//! What `crosswalk serve` publishes over the CASE REST API, and where pulled frameworks
//! came from. Both are workshop settings (no table of their own): a list of framework
//! identifiers (and [`CROSSWALK`] for the crosswalk document), and one source URL per
//! framework identifier.
use super::{Result, Workshop};

/// The name that stands for the crosswalk document in the published list.
pub const CROSSWALK: &str = "crosswalk";

const PUBLISHED_KEY: &str = "case.published";
const SOURCE_PREFIX: &str = "case.source.";

impl Workshop {
    /// Framework identifiers (and possibly [`CROSSWALK`]) published, in the order chosen.
    pub fn published(&self) -> Result<Vec<String>> {
        Ok(self
            .setting(PUBLISHED_KEY)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default())
    }

    /// Adds `identifier` to what is published; false when it already was.
    pub fn publish(&mut self, identifier: &str) -> Result<bool> {
        let mut list = self.published()?;
        if list.iter().any(|p| p == identifier) {
            return Ok(false);
        }
        list.push(identifier.to_string());
        self.set_published(&list)?;
        Ok(true)
    }

    /// Takes `identifier` out of what is published; false when it was not.
    pub fn unpublish(&mut self, identifier: &str) -> Result<bool> {
        let mut list = self.published()?;
        let before = list.len();
        list.retain(|p| p != identifier);
        if list.len() == before {
            return Ok(false);
        }
        self.set_published(&list)?;
        Ok(true)
    }

    fn set_published(&mut self, list: &[String]) -> Result<()> {
        let text = serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
        self.set_setting(PUBLISHED_KEY, &text)
    }

    /// The CASE REST URL a framework was pulled from (its `CFPackages/{id}`).
    pub fn source_url(&self, framework_identifier: &str) -> Result<Option<String>> {
        self.setting(&format!("{SOURCE_PREFIX}{framework_identifier}"))
    }

    pub fn set_source_url(&mut self, framework_identifier: &str, url: &str) -> Result<()> {
        self.set_setting(&format!("{SOURCE_PREFIX}{framework_identifier}"), url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publishing_is_a_kept_ordered_set() {
        let mut ws = Workshop::open_in_memory().unwrap();
        assert!(ws.published().unwrap().is_empty(), "nothing by default");
        assert!(ws.publish("b").unwrap());
        assert!(ws.publish(CROSSWALK).unwrap());
        assert!(!ws.publish("b").unwrap(), "twice is once");
        assert_eq!(ws.published().unwrap(), ["b", CROSSWALK]);
        assert!(ws.unpublish("b").unwrap());
        assert!(!ws.unpublish("b").unwrap());
        assert_eq!(ws.published().unwrap(), [CROSSWALK]);
    }

    #[test]
    fn a_source_url_is_kept_per_framework() {
        let mut ws = Workshop::open_in_memory().unwrap();
        assert_eq!(ws.source_url("f").unwrap(), None);
        ws.set_source_url("f", "https://case.example/ims/case/v1p0/CFPackages/f")
            .unwrap();
        assert_eq!(
            ws.source_url("f").unwrap().as_deref(),
            Some("https://case.example/ims/case/v1p0/CFPackages/f")
        );
        assert_eq!(ws.source_url("g").unwrap(), None);
    }
}
