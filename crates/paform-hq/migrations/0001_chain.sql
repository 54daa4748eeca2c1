-- Paform HQ, schema 1 (SPEC §15): the chain's nodes and their replication log, the
-- normalized business tables projected from what sites push, and the catalog HQ owns.
-- Money is NUMERIC, statuses are constrained, every owned row names its node.

CREATE TABLE nodes (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL CHECK (name <> ''),
    role          TEXT NOT NULL CHECK (role IN ('showroom', 'factory')),
    number_prefix TEXT UNIQUE CHECK (number_prefix ~ '^[A-Z0-9]{1,12}$'),
    token_sha256  TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    joined_at     TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    held_seq      BIGINT NOT NULL DEFAULT 0 CHECK (held_seq >= 0),
    last_push_at  TIMESTAMPTZ
);

CREATE TABLE hq_tokens (
    id           TEXT PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at   TIMESTAMPTZ
);

-- Every entry a node pushed and HQ accepted, once per (node, node_seq).
CREATE TABLE node_log (
    node_id     TEXT NOT NULL REFERENCES nodes (id),
    node_seq    BIGINT NOT NULL CHECK (node_seq > 0),
    kind        TEXT NOT NULL CHECK (kind IN ('customer', 'design', 'quote', 'order_event', 'production_event', 'offcut')),
    key         TEXT NOT NULL,
    body        JSONB NOT NULL,
    digest      TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The order HQ received entries in, across nodes (the feed's cursor).
    feed_id     BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    PRIMARY KEY (node_id, node_seq)
);

-- Entries HQ refused: they differ from what it holds or break a hash chain. They overwrite
-- nothing; their node_seq still counts as held.
CREATE TABLE quarantine (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    node_id     TEXT NOT NULL REFERENCES nodes (id),
    node_seq    BIGINT NOT NULL CHECK (node_seq > 0),
    kind        TEXT NOT NULL,
    key         TEXT NOT NULL,
    body        JSONB NOT NULL,
    digest      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (node_id, node_seq, digest)
);

CREATE TABLE catalog_versions (
    version    BIGINT PRIMARY KEY CHECK (version > 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE materials (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    price_per_m2    NUMERIC(14, 2),
    catalog_version BIGINT NOT NULL REFERENCES catalog_versions (version),
    body            JSONB NOT NULL
);

CREATE TABLE modules (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    base_price      NUMERIC(14, 2),
    catalog_version BIGINT NOT NULL REFERENCES catalog_versions (version),
    body            JSONB NOT NULL
);

CREATE TABLE customers (
    id       TEXT PRIMARY KEY,
    node_id  TEXT NOT NULL REFERENCES nodes (id),
    node_seq BIGINT NOT NULL,
    name     TEXT NOT NULL DEFAULT '',
    email    TEXT,
    phone    TEXT,
    body     JSONB NOT NULL
);

CREATE TABLE designs (
    id          TEXT PRIMARY KEY,
    node_id     TEXT NOT NULL REFERENCES nodes (id),
    node_seq    BIGINT NOT NULL,
    customer_id TEXT REFERENCES customers (id),
    name        TEXT NOT NULL DEFAULT '',
    body        JSONB NOT NULL
);

CREATE TABLE quotes (
    id              TEXT PRIMARY KEY,
    node_id         TEXT NOT NULL REFERENCES nodes (id),
    node_seq        BIGINT NOT NULL,
    number          TEXT,
    customer_id     TEXT REFERENCES customers (id),
    currency        TEXT,
    total           NUMERIC(14, 2),
    catalog_version BIGINT,
    body            JSONB NOT NULL
);

CREATE TABLE orders (
    id          TEXT PRIMARY KEY,
    node_id     TEXT NOT NULL REFERENCES nodes (id),
    number      TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'pending_payment', 'design_review', 'production_ready', 'fulfilled', 'cancelled')),
    currency    TEXT NOT NULL DEFAULT '',
    customer_id TEXT REFERENCES customers (id),
    quote_id    TEXT REFERENCES quotes (id),
    buyer_name  TEXT NOT NULL DEFAULT '',
    total       NUMERIC(14, 2) NOT NULL DEFAULT 0,
    event_count BIGINT NOT NULL CHECK (event_count > 0),
    head_hash   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    -- When the order first reached production_ready (from then on factories get its events).
    production_ready_at TEXT
);
CREATE INDEX orders_by_node ON orders (node_id, status);

CREATE TABLE order_line_items (
    order_id   TEXT NOT NULL REFERENCES orders (id),
    line_no    INTEGER NOT NULL CHECK (line_no > 0),
    node_id    TEXT NOT NULL REFERENCES nodes (id),
    module_id  TEXT,
    name       TEXT NOT NULL DEFAULT '',
    quantity   INTEGER NOT NULL DEFAULT 1,
    unit_price NUMERIC(14, 2),
    line_total NUMERIC(14, 2),
    terms      JSONB NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

-- Both chains of an order: its contract (written by the site that sold it) and its
-- production (written by the factory). Each link points at the node_log entry it came in.
CREATE TABLE order_events (
    order_id  TEXT NOT NULL REFERENCES orders (id),
    chain     TEXT NOT NULL CHECK (chain IN ('contract', 'production')),
    seq       BIGINT NOT NULL CHECK (seq > 0),
    node_id   TEXT NOT NULL,
    node_seq  BIGINT NOT NULL,
    kind      TEXT NOT NULL,
    at        TEXT NOT NULL,
    actor     JSONB,
    note      TEXT,
    data      JSONB NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (order_id, chain, seq),
    UNIQUE (order_id, chain, hash),
    FOREIGN KEY (node_id, node_seq) REFERENCES node_log (node_id, node_seq)
);

CREATE TABLE payments (
    id       TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id),
    node_id  TEXT NOT NULL REFERENCES nodes (id),
    kind     TEXT NOT NULL,
    amount   NUMERIC(14, 2) NOT NULL,
    currency TEXT NOT NULL DEFAULT '',
    at       TEXT NOT NULL
);

CREATE TABLE production_scans (
    order_id  TEXT NOT NULL REFERENCES orders (id),
    seq       BIGINT NOT NULL,
    node_id   TEXT NOT NULL REFERENCES nodes (id),
    part_code TEXT NOT NULL,
    station   TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (order_id, seq)
);

CREATE TABLE offcuts (
    id       TEXT PRIMARY KEY,
    node_id  TEXT NOT NULL REFERENCES nodes (id),
    node_seq BIGINT NOT NULL,
    body     JSONB NOT NULL
);

-- What other nodes pull (`GET /hq/v1/feed`): the contract events of orders that reached
-- production_ready, for every factory (audience_node NULL), and the production events of an
-- order, for the showroom that sold it. Ids are taken under a transaction-scoped advisory
-- lock, so they become visible in id order and a cursor never skips one.
CREATE TABLE feed (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audience_node TEXT REFERENCES nodes (id),
    node_id       TEXT NOT NULL,
    node_seq      BIGINT NOT NULL,
    FOREIGN KEY (node_id, node_seq) REFERENCES node_log (node_id, node_seq)
);
CREATE INDEX feed_by_audience ON feed (audience_node, id);
