//! `audit verify` in a chain (SPEC §15): HQ's copy anchors every chain this site wrote. Each
//! link HQ holds as a contract chain's head must still be in the site's chain at the same
//! `seq` with the same hash, so a chain cut short, an order removed whole or a chain
//! rewritten from its start (which verifies on its own) is reported, not only a broken link.

use paform_store::audit::sequence_key;
use paform_store::chain::CHAIN_NODE;
use paform_store::records::chain::ChainNodeRecord;
use paform_store::tables_v3::ORDER_EVENTS;

use super::client::HqClient;
use crate::dto::{AuditQuery, AuditReport, BrokenLink, BrokenReason};
use crate::{App, AppError};

impl App {
    /// Recomputes every chain (or `query.order_id`'s) and compares each order with the
    /// projection of its events; the whole audit of a site in a chain also compares each
    /// chain with HQ's head. One order's audit (its page) stays local, so it answers at once
    /// while HQ is out of reach.
    pub async fn verify_audit(&self, query: &AuditQuery) -> Result<AuditReport, AppError> {
        let mut report = self.verify_local_audit(query)?;
        if query.order_id.is_some() {
            return Ok(report);
        }
        let Some(node) = self
            .store()
            .read(|tx| tx.get(&CHAIN_NODE, ChainNodeRecord::KEY))?
        else {
            return Ok(report);
        };
        let heads = match HqClient::new(&node.hq_url, &node.token, node.ca_pem.as_deref())?
            .heads()
            .await
        {
            Ok(heads) => heads.heads,
            Err(error) => {
                report.hq_error = Some(AppError::from(error).to_string());
                return Ok(report);
            }
        };
        let missing = self.store().read(|tx| {
            let mut missing = Vec::new();
            for head in &heads {
                let held = tx.get(&ORDER_EVENTS, &sequence_key(&head.order_id, head.seq))?;
                if held.is_none_or(|event| event.hash != head.hash) {
                    missing.push(BrokenLink {
                        order_id: head.order_id.clone(),
                        seq: head.seq,
                        reason: BrokenReason::Hq,
                        fields: Vec::new(),
                        detail: Some(format!(
                            "HQ holds link {} of this chain ({}), which this site no longer has",
                            head.seq, head.hash
                        )),
                    });
                }
            }
            Ok::<_, AppError>(missing)
        })?;
        report.hq_heads = Some(heads.len() as u64);
        report.ok &= missing.is_empty();
        report.broken.extend(missing);
        Ok(report)
    }
}
