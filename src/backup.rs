//! `paform backup create|restore|list` (SPEC §13): the same archives as `POST /api/backups`
//! and the automatic schedule. `create` needs the store to itself (redb's file lock: a
//! running server or desktop app makes backups through the API instead); `restore` checks
//! the whole archive before it writes anything.

use std::path::PathBuf;

use clap::Subcommand;
use paform_app::backups;

use crate::token;

#[derive(Subcommand)]
pub(crate) enum BackupCommand {
    /// Write a backup archive of a data directory no running Paform holds.
    Create {
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// The folder to write into (default: the settings' backup folder, with retention).
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// Restore an archive into a data directory (empty, or replaced with --force).
    Restore {
        /// The archive (`paform-backup-….tar.zst`, or a plain `.tar` of an earlier build).
        file: PathBuf,
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// Replace a data directory that is not empty.
        #[arg(long)]
        force: bool,
    },
    /// List the archives in the backup folder, oldest first.
    List {
        #[arg(long, env = "PAFORM_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// The folder to list (default: the settings' backup folder).
        #[arg(long)]
        folder: Option<PathBuf>,
    },
}

pub(crate) async fn run(command: BackupCommand, default_data_dir: PathBuf) -> anyhow::Result<()> {
    match command {
        BackupCommand::Create { data_dir, to } => {
            let app = token::open(data_dir.unwrap_or(default_data_dir)).await?;
            let backup = match to {
                Some(folder) => app.create_backup_in(&folder).await,
                None => app.create_backup().await,
            }
            .map_err(token::explain)?;
            eprintln!(
                "backup written: {} bytes, sha256 {}",
                backup.size, backup.sha256
            );
            println!("{}", backup.path);
        }
        BackupCommand::Restore {
            file,
            data_dir,
            force,
        } => {
            let data_dir = data_dir.unwrap_or(default_data_dir);
            let summary =
                backups::restore_backup(&file, &data_dir, force).map_err(token::explain)?;
            eprintln!(
                "restored the backup of {} ({} files, {} bytes) into {}",
                summary.created_at,
                summary.n_files,
                summary.bytes,
                data_dir.display()
            );
        }
        BackupCommand::List { data_dir, folder } => {
            let folder = match folder {
                Some(folder) => folder,
                None => {
                    let app = token::open(data_dir.unwrap_or(default_data_dir)).await?;
                    PathBuf::from(app.list_backups().map_err(token::explain)?.folder)
                }
            };
            let archives = backups::list_backup_folder(&folder).map_err(token::explain)?;
            if archives.is_empty() {
                eprintln!("no backups in {}", folder.display());
            }
            for archive in archives {
                println!(
                    "{}\t{}\t{} bytes",
                    folder.join(&archive.file).display(),
                    archive.created_at,
                    archive.size
                );
            }
        }
    }
    Ok(())
}
