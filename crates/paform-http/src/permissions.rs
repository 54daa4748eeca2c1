//! What each device-token role may do (SPEC §13), decided in one table keyed by method and
//! path template, consulted only by `auth::require_device_token`.
//!
//! Invariants:
//! - Safe by default: a route that no row names (a new endpoint nobody classified yet) needs
//!   `Permission::Admin`, so adding a route never widens what a sales or production token
//!   can do; classifying it is a deliberate edit of `RULES`.
//! - Rows are tried in order and the first match decides, so a specific row (`GET
//!   /api/orders/{}/payments`) comes before the prefix that would otherwise take it
//!   (`GET /api/orders/*`).
//! - Requests that carry no token (loopback without `require_token`, the desktop shell's
//!   in-process calls) never reach this table: they act as the local admin.

use axum::http::Method;
use paform_app::Role;

/// One thing a request may need; each role holds a fixed set of them (`grants`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Permission {
    /// Settings writes, tokens, pairing, backups, catalog writes, joining a chain, Hygraph
    /// deliveries: admin only.
    Admin,
    /// Reading materials, modules, their 3D models and the catalog's media (textures).
    CatalogRead,
    /// Reading the settings (currency, business details) that every screen shows.
    SettingsRead,
    Customers,
    Designs,
    Quotes,
    /// Reading orders, their events and the live event stream.
    OrdersRead,
    /// Transitions and order changes.
    OrdersWrite,
    Payments,
    Cnc,
    Offcuts,
    Scans,
    Jobs,
}

impl Permission {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Permission::Admin => "admin",
            Permission::CatalogRead => "catalog read",
            Permission::SettingsRead => "settings read",
            Permission::Customers => "customers",
            Permission::Designs => "designs",
            Permission::Quotes => "quotes",
            Permission::OrdersRead => "orders read",
            Permission::OrdersWrite => "orders",
            Permission::Payments => "payments",
            Permission::Cnc => "cnc",
            Permission::Offcuts => "offcuts",
            Permission::Scans => "scans",
            Permission::Jobs => "jobs",
        }
    }
}

/// Whether `role` holds `permission`.
pub(crate) fn grants(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Admin => true,
        Role::Sales => matches!(
            permission,
            CatalogRead
                | SettingsRead
                | Customers
                | Designs
                | Quotes
                | OrdersRead
                | OrdersWrite
                | Payments
        ),
        Role::Production => matches!(
            permission,
            SettingsRead | OrdersRead | Cnc | Offcuts | Scans | Jobs
        ),
    }
}

/// Which methods a row applies to.
#[derive(Clone, Copy)]
enum Methods {
    /// GET and HEAD.
    Read,
    /// Anything else.
    Write,
    Any,
}

impl Methods {
    fn matches(self, method: &Method) -> bool {
        let read = method == Method::GET || method == Method::HEAD;
        match self {
            Methods::Read => read,
            Methods::Write => !read,
            Methods::Any => true,
        }
    }
}

/// `(methods, template, permission)`: in a template `{}` matches one path segment and a
/// trailing `/*` matches the path itself and anything below it.
const RULES: &[(Methods, &str, Permission)] = {
    use Methods::{Any, Read, Write};
    use Permission::*;
    &[
        (Read, "/api/openapi.json", SettingsRead),
        (Read, "/api/settings", SettingsRead),
        // Every screen's shell shows the chain status; joining is the admin's.
        (Read, "/api/sync/status", SettingsRead),
        (Write, "/api/sync/join", Admin),
        // Anyone may ask for new orders or production now rather than at the next pass.
        (Write, "/api/sync/now", SettingsRead),
        (Any, "/api/materials/{}/stock", Offcuts),
        (Read, "/api/materials/*", CatalogRead),
        (Read, "/api/modules/*", CatalogRead),
        (Read, "/api/media/*", CatalogRead),
        (Any, "/api/customers/*", Customers),
        (Any, "/api/quote/generate", Quotes),
        (Any, "/api/quotes/*", Quotes),
        (Any, "/api/designs/*", Designs),
        // The GLB a sales screen stores for a share it made (reading it needs no token).
        (Write, "/api/share/{}/model.glb", Designs),
        (Any, "/api/orders/{}/design-requests", Designs),
        (Any, "/api/design-requests/*", Designs),
        (Any, "/api/design-versions/*", Designs),
        (Any, "/api/design-assets/*", Designs),
        (Any, "/api/orders/{}/payments", Payments),
        (Any, "/api/payments/*", Payments),
        (Read, "/api/orders/*", OrdersRead),
        // The order page shows every reader the verdict on the order's chain.
        (Read, "/api/audit/verify", OrdersRead),
        (Read, "/api/events/*", OrdersRead),
        (Write, "/api/orders/*", OrdersWrite),
        (Any, "/api/order-changes/*", OrdersWrite),
        (Any, "/api/v1/cnc/*", Cnc),
        (Any, "/api/v1/exports/*", Cnc),
        (Any, "/api/offcuts/*", Offcuts),
        (Any, "/api/parts/*", Scans),
        (Any, "/api/jobs/*", Jobs),
    ]
};

/// What a request for `method path` needs; `Admin` for anything no row names.
pub(crate) fn required(method: &Method, path: &str) -> Permission {
    RULES
        .iter()
        .find(|(methods, template, _)| methods.matches(method) && template_matches(template, path))
        .map_or(Permission::Admin, |(_, _, permission)| *permission)
}

pub(crate) fn template_matches(template: &str, path: &str) -> bool {
    let path = path.strip_suffix('/').unwrap_or(path);
    let (template, open_ended) = match template.strip_suffix("/*") {
        Some(prefix) => (prefix, true),
        None => (template, false),
    };
    let mut wanted = template.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return true,
            (None, Some(_)) => return open_ended,
            (Some(_), None) => return false,
            (Some("{}"), Some(segment)) if !segment.is_empty() => {}
            (Some(expected), Some(segment)) if expected == segment => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_row_decides_and_unknown_routes_need_admin() {
        let check = |method: Method, path: &str, expected: Permission| {
            assert_eq!(required(&method, path), expected, "{method} {path}");
        };
        check(Method::GET, "/api/materials", Permission::CatalogRead);
        check(Method::GET, "/api/materials/m1", Permission::CatalogRead);
        check(Method::POST, "/api/materials", Permission::Admin);
        check(Method::GET, "/api/materialsx", Permission::Admin);
        check(Method::GET, "/api/orders", Permission::OrdersRead);
        check(Method::GET, "/api/orders/o1/events", Permission::OrdersRead);
        check(
            Method::POST,
            "/api/orders/o1/transitions",
            Permission::OrdersWrite,
        );
        check(Method::GET, "/api/orders/o1/payments", Permission::Payments);
        check(Method::GET, "/api/orders//payments", Permission::OrdersRead);
        check(
            Method::POST,
            "/api/orders/o1/design-requests",
            Permission::Designs,
        );
        check(Method::PUT, "/api/settings", Permission::Admin);
        check(Method::GET, "/api/settings", Permission::SettingsRead);
        check(Method::POST, "/api/sync/join", Permission::Admin);
        check(Method::POST, "/api/sync/now", Permission::SettingsRead);
        check(Method::GET, "/api/sync/status", Permission::SettingsRead);
        check(Method::GET, "/api/tokens", Permission::Admin);
        check(Method::POST, "/api/pairing", Permission::Admin);
        check(Method::GET, "/api/backups", Permission::Admin);
        check(Method::GET, "/api/something-new", Permission::Admin);
        check(Method::POST, "/api/v1/exports/cnc", Permission::Cnc);
    }

    #[test]
    fn roles_grant_what_the_spec_lists() {
        assert!(grants(Role::Admin, Permission::Admin));
        assert!(!grants(Role::Sales, Permission::Admin));
        assert!(grants(Role::Sales, Permission::Payments));
        assert!(!grants(Role::Sales, Permission::Cnc));
        assert!(grants(Role::Production, Permission::Cnc));
        assert!(grants(Role::Production, Permission::OrdersRead));
        assert!(!grants(Role::Production, Permission::OrdersWrite));
        assert!(!grants(Role::Production, Permission::CatalogRead));
    }
}
