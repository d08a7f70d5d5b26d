# The edge in front of the app servers: Varnish 7 with the xkey module (Debian's
# varnish and varnish-modules). Readers' responses are kept under the surrogate
# keys the app names in their xkey header, for as long as its s-maxage says (at
# most until a scheduled story goes live); the app purges by key when something
# changes (articles/freshness/edge.py: PURGE from loopback, with an xkey-softpurge header for
# an edit, xkey-purge for a story withdrawn).
# The desk and signed-in staff go straight to the app, cookies and all. This file
# is written for ADMIN_URL "admin/" and the cookie "sessionid": `manage.py edge_vcl`
# prints it for the site's own settings.
vcl 4.1;

import std;
import xkey;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    # /healthz touches no database and answers in a millisecond; on a busy 2-core
    # machine (a worker starting, renditions) it has taken seconds. A node is taken
    # out after 6 of its last 8 probes failed (about 12 s of silence), each allowed
    # 3 s, and back after 3 good ones: a few slow answers no longer take a working
    # node out, and a dead one is skipped sooner by the retry in vcl_backend_error.
    .probe = {
        .url = "/healthz";
        .interval = 2s;
        .timeout = 3s;
        .window = 8;
        .threshold = 3;
        .initial = 3;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.restarts == 0) {
        unset req.http.X-Stale-If-Error;  # the edge's own mark (vcl_deliver), not a reader's
    }
    # One id per request, from here to the app's logs and jobs (newsroom/request_id.py).
    if (req.http.X-Request-ID !~ "^[A-Za-z0-9._-]{8,64}$") {
        set req.http.X-Request-ID = "edge-" + req.xid;
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        # An edit: the old copies kept as stale, served only while no app server
        # answers (grace). A story withdrawn: dropped outright, never served again.
        if (req.http.xkey-softpurge) {
            set req.http.purged = xkey.softpurge(req.http.xkey-softpurge);
            return (synth(200, "Soft-purged " + req.http.purged));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "An xkey-purge or xkey-softpurge header names what to purge"));
        }
        set req.http.purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.purged));
    }
    # The app's figures are for Prometheus, which asks the app servers themselves.
    if (req.url ~ "^/metrics") {
        return (synth(404, "Not Found"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The desk (ADMIN_URL) and anyone signed in (SESSION_COOKIE_NAME): written for
    # the site's settings by `manage.py edge_vcl`; the app keeps nothing at an edge
    # whose VCL names others (articles/freshness/edge.py).
    set req.http.X-Edge-Desk = "/admin/ sessionid";
    if (req.url ~ "^/admin/" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Readers: no cookie reaches the app, so all share one copy of a page.
    unset req.http.Cookie;
    # With the app up, a copy past its time (or soft-purged by an edit) is never
    # served: the reader waits for the fresh one; with the app down, stale copies
    # are served for hours (grace).
    if (req.http.X-Stale-If-Error) {
        set req.grace = 6h;  # asked again after an error: any copy kept will do
    } else if (std.healthy(req.backend_hint)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_backend_response {
    # A page the app could not make (a 5xx: its database down, a statement stopped)
    # leaves the copy kept, if any, untouched: a refresh in the background keeps it,
    # and a reader's request is asked again for it (vcl_synth, stale if error). What
    # passes (the desk, a save) gets the app's own answer: "saving is paused", and
    # what was typed.
    if (beresp.status >= 500 && !bereq.uncacheable
        && (bereq.is_bgfetch || !bereq.http.X-Stale-If-Error)) {
        return (abandon);
    }
    # Only what the app marked as a readers' response is kept: its keys, and how
    # long the edge may keep it (s-maxage; none without EDGE_CACHE_URL).
    if (!beresp.http.xkey || beresp.status != 200 || beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "s-maxage") {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        set beresp.grace = 0s;  # no mark of it outlives it to hide a stale copy
        return (deliver);
    }
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    # An app server that fell over since its last probe: a reader's request is
    # tried again, on the next server where there are several.
    if (bereq.retries < 2 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
    # A refresh in the background that failed leaves the stale copy as it was; a
    # reader's request is asked again for it (vcl_synth, stale if error).
    if (bereq.is_bgfetch || !bereq.http.X-Stale-If-Error) {
        return (abandon);
    }
    # The error page itself is never kept: as the newest copy, it would hide the
    # stale one from the readers after.
    set beresp.ttl = 0s;
    set beresp.grace = 0s;
    set beresp.keep = 0s;
    set beresp.uncacheable = true;
}

sub vcl_synth {
    # Stale if error: a reader's page no app server could make is asked again once,
    # taking the copy the edge still keeps (a soft-purged or expired one). A
    # withdrawn story's copies were purged outright: none is left to take.
    if (resp.status == 503 && req.restarts == 0 && !req.http.X-Stale-If-Error
        && (req.method == "GET" || req.method == "HEAD") && !req.http.Cookie) {
        set req.http.X-Stale-If-Error = "1";
        return (restart);
    }
}

sub vcl_deliver {
    set resp.http.X-Cache = "MISS";
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    }
    # This request's id, not that of the request the kept copy was made for.
    set resp.http.X-Request-ID = req.http.X-Request-ID;
    # The keys are the edge's business: readers need not see what a page shows.
    unset resp.http.xkey;
}
