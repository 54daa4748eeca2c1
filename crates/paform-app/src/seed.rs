//! The demo catalog (`paform_api::demo`) seeded on a store's first start, through the same
//! use cases as any catalog edit.
//!
//! Three modules come with a Draco-compressed GLB (built by `tools/glb/build.mjs` into
//! `assets/models/`). The files are compiled into the binary and stored through the same
//! upload use case as any model, so the seed proves they follow the standard and the demo
//! shows real models offline, in the browser and in the desktop app alike, from the data
//! directory's `models/` like any uploaded model.

use paform_api::demo;

use crate::{App, AppError};

/// Demo models by module name.
const MODELS: &[(&str, &[u8])] = &[
    (
        "Kitchen Base 600",
        include_bytes!("../../../assets/models/kitchen-base-600.glb"),
    ),
    (
        "Kitchen Wall 600",
        include_bytes!("../../../assets/models/kitchen-wall-600.glb"),
    ),
    (
        "Kitchen Drawer Base 600",
        include_bytes!("../../../assets/models/kitchen-drawer-base-600.glb"),
    ),
];

pub(crate) async fn seed_demo_catalog(app: &App) -> Result<(), AppError> {
    let mut material_ids = Vec::new();
    for input in demo::materials() {
        material_ids.push(app.create_material(input).await?.id);
    }
    let modules = demo::modules(&material_ids);
    let module_count = modules.len();
    for input in modules {
        let name = input.name.clone();
        let module = app.create_module(input).await?;
        if let Some((_, model)) = MODELS.iter().find(|(model_of, _)| *model_of == name) {
            app.put_module_model(&module.id, model.to_vec()).await?;
        }
    }
    tracing::info!(
        materials = material_ids.len(),
        modules = module_count,
        models = MODELS.len(),
    );
    Ok(())
}
