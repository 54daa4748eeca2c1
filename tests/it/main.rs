//! Paform's black-box tests: one binary, each module a feature, every test against the real
//! server on a random loopback port with its own temporary data directory.

mod api_auth;
mod api_catalog;
mod api_cnc;
mod api_contracts;
mod api_customers;
mod api_designs;
mod api_documents;
mod api_errors;
mod api_floor;
mod api_fuzz;
mod api_models;
mod api_orders;
mod api_pairing;
mod api_quotes;
mod api_roles;
mod api_share;
mod api_sync;
mod architecture;
mod audit_chain;
mod backups;
mod chain_site;
mod hq;
mod hq_catalog;
mod hq_proptest;
mod hq_support;
mod openapi_drift;
mod production_check;
mod quote_boards;
mod restart;
mod s3_export;
mod support;
mod transfer;
