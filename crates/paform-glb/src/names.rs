//! The node-name grammar of the standard's section 3: `prefix:name`, lowercase words joined
//! by `-`, with the prefix deciding what the name may be.

/// The cut list's panel names (`paform_core::cnc::panelize`): a GLB's carcass panels are
/// named after them, so a test keeps the two in step.
pub const PANEL_NAMES: &[&str] = &["side", "top-bottom", "back", "shelf"];
const FRONT_KINDS: &[&str] = &["door", "drawer", "flap"];
const CONNECT_SIDES: &[&str] = &["left", "right", "top", "bottom", "front", "back"];
/// The coarsest level the standard knows.
const MAX_LOD: u32 = 2;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NodeName {
    Module(String),
    Panel,
    Front,
    Hardware,
    Part,
    Connect,
    Lod(u32),
}

/// Lowercase ASCII letters and digits in words joined by single `-`.
pub(crate) fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// `<word>-<n>` with n ≥ 1: the word and the number.
fn numbered(text: &str) -> Option<(&str, u32)> {
    let (word, number) = text.rsplit_once('-')?;
    let parsed: u32 = number.parse().ok().filter(|n| *n >= 1)?;
    (is_token(word) && parsed.to_string() == number).then_some((word, parsed))
}

pub(crate) fn parse_node_name(name: &str) -> Result<NodeName, String> {
    let Some((prefix, rest)) = name.split_once(':') else {
        return Err(
            "a name is prefix:name (module, panel, front, hw, part, connect or lod)".to_owned(),
        );
    };
    if !is_token(rest) {
        return Err(format!(
            "{rest:?} after the prefix must be lowercase letters and digits joined by -"
        ));
    }
    match prefix {
        "module" => Ok(NodeName::Module(rest.to_owned())),
        "panel" => match numbered(rest) {
            Some((panel, _)) if PANEL_NAMES.contains(&panel) => Ok(NodeName::Panel),
            _ => Err(format!(
                "a panel is panel:<cut-list-name>-<n> with a cut list name: {}",
                PANEL_NAMES.join(", ")
            )),
        },
        "front" => match numbered(rest) {
            Some((kind, _)) if FRONT_KINDS.contains(&kind) => Ok(NodeName::Front),
            _ => Err(format!(
                "a front is front:<kind>-<n> with kind {}",
                FRONT_KINDS.join(", ")
            )),
        },
        "hw" => match numbered(rest) {
            Some(_) => Ok(NodeName::Hardware),
            None => Err("hardware is hw:<kind>-<n>, e.g. hw:handle-1".to_owned()),
        },
        "part" => Ok(NodeName::Part),
        "connect" if CONNECT_SIDES.contains(&rest) => Ok(NodeName::Connect),
        "connect" => Err(format!(
            "a connection point is connect:<side> with side {}",
            CONNECT_SIDES.join(", ")
        )),
        "lod" => match rest.parse::<u32>() {
            Ok(level) if level <= MAX_LOD && rest == level.to_string() => Ok(NodeName::Lod(level)),
            _ => Err(format!("a level of detail is lod:0 to lod:{MAX_LOD}")),
        },
        other => Err(format!(
            "unknown prefix {other:?}; use module, panel, front, hw, part, connect or lod"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_grammar() {
        assert_eq!(
            parse_node_name("module:kitchen-base-600"),
            Ok(NodeName::Module("kitchen-base-600".into()))
        );
        assert_eq!(parse_node_name("panel:top-bottom-2"), Ok(NodeName::Panel));
        assert_eq!(parse_node_name("front:door-1"), Ok(NodeName::Front));
        assert_eq!(parse_node_name("hw:handle-12"), Ok(NodeName::Hardware));
        assert_eq!(parse_node_name("part:plinth"), Ok(NodeName::Part));
        assert_eq!(parse_node_name("connect:left"), Ok(NodeName::Connect));
        assert_eq!(parse_node_name("lod:1"), Ok(NodeName::Lod(1)));
        for bad in [
            "Cube.001",
            "panel:side-left",
            "panel:top",
            "panel:side-0",
            "module:Base_LOD0",
            "front:door",
            "lod:3",
            "lod:01",
            "hw:handle",
            "part:",
            "connect:up",
        ] {
            assert!(parse_node_name(bad).is_err(), "{bad} passed");
        }
    }
}
