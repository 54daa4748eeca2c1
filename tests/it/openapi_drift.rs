//! The committed OpenAPI document (`ui/lib/api/openapi.json`, from which the UI's types are
//! generated) must equal what the code produces. Set `PAFORM_UPDATE_OPENAPI=1` to rewrite it.

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/lib/api/openapi.json");
    let current = paform_http::openapi_json() + "\n";
    if std::env::var_os("PAFORM_UPDATE_OPENAPI").is_some() {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("folder is writable");
        std::fs::write(&path, &current).expect("file is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "ui/lib/api/openapi.json is out of date: run `PAFORM_UPDATE_OPENAPI=1 cargo test --test it openapi` \
         and then `npm run gen:api` in ui/"
    );
}
