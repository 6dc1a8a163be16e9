/**
 * The Railyard API's types, generated from /api/openapi.json by openapi-typescript.
 * Do not edit: run `UPDATE_SNAPSHOTS=1 npx vitest run test/e2e/web-api-types.test.ts`.
 */

export interface paths {
    "/api/v1/artifacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List artifacts, newest first */
        get: {
            parameters: {
                query?: {
                    component?: string;
                    limit?: number;
                    train?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Artifact"][];
                    };
                };
            };
        };
        put?: never;
        /**
         * Push an artifact; it boards the open train (or the next one after the cut-off)
         * @description Answers 201 with the train it boarded. After the cut-off of the train it asked for (or the open one) it boards the next train, and `late` and `message` say so. Pushing the same component version with the same commit again answers 200 and changes nothing; with another commit, 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ArtifactPushInput"];
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PushResult"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PushResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/artifacts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One artifact */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Artifact"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/artifacts/{id}/ci": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * CI statuses recorded for an artifact's commit
         * @description The latest status of each CI source (GitHub workflow or check suite, GitLab pipeline) for the commit the artifact was built from, in its component's `repository`; empty when the component names no repository or nothing reported. The status the push itself carried is the artifact's `ci`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CiStatus"][];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/artifacts/{id}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reports pushed for an artifact */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Artifact ID, e.g. art_… */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ArtifactReport"][];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Push a report for an artifact (SBOM, vulnerability scan, VEX or JUnit)
         * @description The body is the report itself, up to 20 MB, sent as JSON, XML, text or octet-stream; its kind is detected from the content: JUnit XML (junit), CycloneDX JSON (sbom, or vulnerabilities when it lists some), SPDX 2 JSON (sbom), Grype, Trivy or SARIF 2.1.0 JSON (vulnerabilities), OpenVEX (vex). 201 with the record; the same bytes again for the same artifact answer 200 with `replay: true` and change nothing. A line's `boarding.reports` holds artifacts whose required kinds are missing at the cut-off.
         */
        post: {
            parameters: {
                query?: {
                    /** @description A label, e.g. the scanner or the file name */
                    name?: string;
                };
                header?: never;
                path: {
                    /** @description Artifact ID, e.g. art_… */
                    id: string;
                };
                cookie?: never;
            };
            /** @description The report's bytes (UTF-8) */
            requestBody: {
                content: {
                    "application/json": string;
                    "application/octet-stream": string;
                    "application/xml": string;
                    "text/plain": string;
                    "text/xml": string;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description True when the same bytes had been pushed for this artifact before */
                            replay: boolean;
                            report: components["schemas"]["ArtifactReport"];
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description True when the same bytes had been pushed for this artifact before */
                            replay: boolean;
                            report: components["schemas"]["ArtifactReport"];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/artifacts/{id}/reports/{reportId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A report's bytes, as they were pushed
         * @description Served as application/xml for JUnit and application/json for the JSON formats; the `X-Report-Kind` and `X-Report-Format` headers say what was detected.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Artifact ID, e.g. art_… */
                    id: string;
                    reportId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The report's bytes */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                        "application/xml": string;
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                        "application/xml": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log as JSON Lines (application/x-ndjson), verifiable without the server
         * @description A header line, the events (train and actor filters leave the others in as stubs without their content, so the chain still links), each signed checkpoint after its event, and, when the server holds the signing key, a signed seal. `railyard audit verify --export FILE --public-key FILE` checks it.
         */
        get: {
            parameters: {
                query?: {
                    actor?: string;
                    /** @description Inclusive lower bound on event time */
                    from?: string;
                    /** @description Exclusive upper bound on event time */
                    to?: string;
                    train?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recompute the hash chain, check the signed checkpoints and name the first broken event
         * @description Every stored checkpoint must still match its event's hash, and its signature must verify with the server's key. `checkpoints.signing` is `off` when the server has no signing key (`audit.signingKeyFromEnv` unset): then no checkpoints are made and signatures are not checked.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checkpoints: {
                                count: number;
                                keyId: string | null;
                                last: {
                                    eventId: number;
                                    /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                                    signedAt: string;
                                } | null;
                                /** @enum {string} */
                                signatures: "verified" | "not checked";
                                /** @enum {string} */
                                signing?: "on" | "off";
                                /** @description Events after the newest checkpoint */
                                unsigned: number;
                            };
                            events: number;
                            lastHash: string;
                            /** @enum {boolean} */
                            ok: true;
                        } | {
                            brokenAt: number;
                            checkpoints: {
                                count: number;
                                keyId: string | null;
                                last: {
                                    eventId: number;
                                    /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                                    signedAt: string;
                                } | null;
                                /** @enum {string} */
                                signatures: "verified" | "not checked";
                                /** @enum {string} */
                                signing?: "on" | "off";
                                /** @description Events after the newest checkpoint */
                                unsigned: number;
                            };
                            events: number;
                            /** @enum {boolean} */
                            ok: false;
                            problem: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/clock/advance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a simulated clock forward and let trains catch up (demo and tests) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description How far, e.g. 1h, 30m, PT2H, 0s */
                        by: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                            now: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/components/{component}/pin": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pin a component at its production version (coordinators and admins)
         * @description Until unpinned, the component stays at its production version on every train of its line that freezes: its new versions are held with the pin's reason. A train past its cut-off carrying a new version of it (not yet in production) gets a new manifest revision, like a drop; `remanifested` names those trains and who is held there now. Needs the coordinator or admin role (403) and a reason (400); a component pinned already is 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Component name, e.g. api */
                    component: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Why (required; recorded in the audit trail) */
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PinResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /**
         * Lift a component's pin (coordinators and admins)
         * @description Trains that freeze from now on take its new versions again; trains already frozen keep their manifest. Needs the coordinator or admin role (403) and a reason (400); 404 when it is not pinned.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Component name, e.g. api */
                    component: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Why (required; recorded in the audit trail) */
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The configuration in force (secrets never live in it) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            config: {
                                [key: string]: unknown;
                            };
                            hash: string;
                            source: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/reload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Read the configuration file again and swap it in whole
         * @description A valid file replaces the running configuration atomically. An invalid one is rejected whole (422 with every problem as FILE:LINE:COLUMN) and the old one keeps running.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: boolean;
                            hash: string;
                            lines: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What version of each component runs in each environment */
        get: {
            parameters: {
                query?: {
                    component?: string;
                    environment?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Deployment"][];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events of the audit log, oldest first */
        get: {
            parameters: {
                query?: {
                    /** @description Only this actor's events */
                    actor?: string;
                    afterId?: number;
                    limit?: number;
                    train?: string;
                    /** @description Only events of these types, comma-separated (e.g. access.denied,action.audited) */
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Event"][];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events (Server-Sent Events) for dashboards
         * @description A `text/event-stream` that first sends `event: ready` (data `{head}`: the newest event's id), then one `event: railyard` per event appended to the log (data `{id, type, trainId, actor, time}`, SSE id = event id), oldest first, and a comment every 15 s. Reconnecting with `Last-Event-ID` (or `?after=`) first sends what was missed; more than 1000 events behind, `event: reset` tells the client to reload instead. When the credentials that opened it stop holding (logout, session expiry, a revoked or expired token), the next batch is not sent: `event: expired`, and the stream ends. Payloads are not sent: read them from `/api/v1/events` or the train.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start after this event id (as Last-Event-ID does); default: from now on */
                    after?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/gate-results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Gate results across trains, newest first (e.g. the latest canary analyses)
         * @description Each result as the train's detail shows it (GET /api/v1/trains/{id}, `gates`), newest first by the event that recorded it. `type` keeps the given gate types (comma-separated); `line` keeps one line's trains.
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    line?: string;
                    /** @description Comma-separated gate types, e.g. canary or slo,prometheus */
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["GateResult"][];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and what this server runs on */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            clock: {
                                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                                now: string;
                                rate: number;
                                simulated: boolean;
                            };
                            config: {
                                hash: string;
                                source: string;
                            };
                            /** @enum {string} */
                            status: "ok";
                            stepsInFlight: number;
                            /** @enum {string} */
                            store: "sqlite" | "postgres";
                            version: string;
                            webhooks: components["schemas"]["WebhookCounts"];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Incidents, newest first */
        get: {
            parameters: {
                query?: {
                    line?: string;
                    status?: "open" | "resolved";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Incident"][];
                    };
                };
            };
        };
        put?: never;
        /** Open an incident (coordinators, admins); a critical one pauses or rolls back trains by the line's policy */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        component?: string;
                        detail?: string;
                        environment?: string;
                        line: string;
                        /**
                         * @default critical
                         * @enum {string}
                         */
                        severity?: "critical" | "warning" | "info";
                        title: string;
                        trainId?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Incident"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An incident with the alerts grouped into it */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alerts: {
                                alertname: string;
                                endsAt: string | null;
                                fingerprint: string;
                                incidentId: string;
                                labels: {
                                    [key: string]: string;
                                };
                                /** @enum {string} */
                                severity: "critical" | "warning" | "info";
                                startsAt: string;
                                /** @enum {string} */
                                status: "firing" | "resolved";
                                updatedAt: string;
                            }[];
                            incident: components["schemas"]["Incident"];
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/postmortem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The incident's postmortem draft (Markdown)
         * @description A summary (train, line, severity, started, opened, recovered, duration, time to restore), the train's timeline from the event log in UTC (boarding, gates, approvals, waves, alerts, pauses, rollback, resolution), the SLO burn during the incident from the line's errorBudget SLO (or why it was not measured), the alerts grouped into it, the release-train postmortem review questions as headings with empty answers, and the incident checklist. Drafted anew on every request.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The postmortem draft. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/markdown": string;
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resolve an incident (coordinators, admins); a line it stopped goes on */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        resolution: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Incident"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Lines with their next departures and active trains */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LineSummary"][];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lines/{line}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One line */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    line: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["LineSummary"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lines/{line}/hotfixes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a hotfix train on a line
         * @description Creates `<line>-<n>-hotfix-<k>` (n: the line's latest regular train that reached production, else its latest; k counts hotfixes on n), departing now, opened and frozen with the given versions (each must have been pushed as an artifact and ride the line). It runs the line's `hotfix.gates` instead of its gates, then its approval and rollout; it ignores the line's window but not blackouts. Only the roles in the line's `hotfix.roles` may start one (403). When a blackout stops the line now, the request needs `exceptionReason` and a caller holding one of the blackout's `exceptionRoles` (409 without it, naming the blackout); the exception is recorded with the hotfix.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Line name, e.g. shop */
                    line: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["HotfixRequestInput"];
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Train"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/releases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Release metrics M1–M10 and DORA keys for a period, line, team or component
         * @description Computed from the event log (incrementally: only events since the last query are folded). `from` defaults to 30 days before `to`, `to` to now on the engine's clock. See docs/metrics.md for the definitions.
         */
        get: {
            parameters: {
                query?: {
                    /** @description line: also answer the report of each line (`byLine`), e.g. for a line × week heatmap */
                    breakdown?: "line";
                    component?: string;
                    from?: string;
                    groupBy?: "week" | "month";
                    line?: string;
                    team?: string;
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            asOfEventId: number;
                            /** @description With breakdown=line: the same report for each configured line (in configuration order) */
                            byLine?: {
                                line: string;
                                periods: {
                                    dora: {
                                        changeFailureRate: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            value: number | null;
                                        };
                                        deploymentFrequency: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            perDay: number;
                                            releases: number;
                                        };
                                        leadTime: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            medianMs: number | null;
                                        };
                                        timeToRestore: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            medianMs: number | null;
                                        };
                                    };
                                    from: string;
                                    m1ReleaseSuccessRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m2Mttr: {
                                        count: number;
                                        meanMs: number | null;
                                        p50Ms: number | null;
                                        p90Ms: number | null;
                                    };
                                    m3LeadTime: {
                                        count: number;
                                        fromPush: number;
                                        meanMs: number | null;
                                        p50Ms: number | null;
                                        p90Ms: number | null;
                                    };
                                    m4IntegrationTestPassRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m5ErrorRateDelta: {
                                        mean: number | null;
                                        trains: number;
                                        worst: number | null;
                                    };
                                    m6SloCompliance: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m7ChangeFailureRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m8Rollbacks: {
                                        count: number;
                                        perWeek: number;
                                    };
                                    m9DeploymentTime: {
                                        count: number;
                                        meanMs: number | null;
                                        p50Ms: number | null;
                                        p90Ms: number | null;
                                    };
                                    m10SecurityScanFailureRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    to: string;
                                    trains: {
                                        aborted: number;
                                        departed: number;
                                        ended: number;
                                        hotfixes: number;
                                        released: number;
                                        rolledBack: number;
                                    };
                                }[];
                                total: {
                                    dora: {
                                        changeFailureRate: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            value: number | null;
                                        };
                                        deploymentFrequency: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            perDay: number;
                                            releases: number;
                                        };
                                        leadTime: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            medianMs: number | null;
                                        };
                                        timeToRestore: {
                                            bucket: ("elite" | "high" | "medium" | "low") | null;
                                            medianMs: number | null;
                                        };
                                    };
                                    from: string;
                                    m1ReleaseSuccessRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m2Mttr: {
                                        count: number;
                                        meanMs: number | null;
                                        p50Ms: number | null;
                                        p90Ms: number | null;
                                    };
                                    m3LeadTime: {
                                        count: number;
                                        fromPush: number;
                                        meanMs: number | null;
                                        p50Ms: number | null;
                                        p90Ms: number | null;
                                    };
                                    m4IntegrationTestPassRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m5ErrorRateDelta: {
                                        mean: number | null;
                                        trains: number;
                                        worst: number | null;
                                    };
                                    m6SloCompliance: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m7ChangeFailureRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    m8Rollbacks: {
                                        count: number;
                                        perWeek: number;
                                    };
                                    m9DeploymentTime: {
                                        count: number;
                                        meanMs: number | null;
                                        p50Ms: number | null;
                                        p90Ms: number | null;
                                    };
                                    m10SecurityScanFailureRate: {
                                        denominator: number;
                                        numerator: number;
                                        value: number | null;
                                    };
                                    to: string;
                                    trains: {
                                        aborted: number;
                                        departed: number;
                                        ended: number;
                                        hotfixes: number;
                                        released: number;
                                        rolledBack: number;
                                    };
                                };
                            }[];
                            definitions: {
                                [key: string]: string;
                            };
                            periods: {
                                dora: {
                                    changeFailureRate: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        value: number | null;
                                    };
                                    deploymentFrequency: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        perDay: number;
                                        releases: number;
                                    };
                                    leadTime: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        medianMs: number | null;
                                    };
                                    timeToRestore: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        medianMs: number | null;
                                    };
                                };
                                from: string;
                                m1ReleaseSuccessRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m2Mttr: {
                                    count: number;
                                    meanMs: number | null;
                                    p50Ms: number | null;
                                    p90Ms: number | null;
                                };
                                m3LeadTime: {
                                    count: number;
                                    fromPush: number;
                                    meanMs: number | null;
                                    p50Ms: number | null;
                                    p90Ms: number | null;
                                };
                                m4IntegrationTestPassRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m5ErrorRateDelta: {
                                    mean: number | null;
                                    trains: number;
                                    worst: number | null;
                                };
                                m6SloCompliance: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m7ChangeFailureRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m8Rollbacks: {
                                    count: number;
                                    perWeek: number;
                                };
                                m9DeploymentTime: {
                                    count: number;
                                    meanMs: number | null;
                                    p50Ms: number | null;
                                    p90Ms: number | null;
                                };
                                m10SecurityScanFailureRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                to: string;
                                trains: {
                                    aborted: number;
                                    departed: number;
                                    ended: number;
                                    hotfixes: number;
                                    released: number;
                                    rolledBack: number;
                                };
                            }[];
                            query: {
                                component?: string;
                                from: string;
                                /** @enum {string} */
                                groupBy?: "week" | "month";
                                line?: string;
                                team?: string;
                                to: string;
                            };
                            total: {
                                dora: {
                                    changeFailureRate: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        value: number | null;
                                    };
                                    deploymentFrequency: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        perDay: number;
                                        releases: number;
                                    };
                                    leadTime: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        medianMs: number | null;
                                    };
                                    timeToRestore: {
                                        bucket: ("elite" | "high" | "medium" | "low") | null;
                                        medianMs: number | null;
                                    };
                                };
                                from: string;
                                m1ReleaseSuccessRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m2Mttr: {
                                    count: number;
                                    meanMs: number | null;
                                    p50Ms: number | null;
                                    p90Ms: number | null;
                                };
                                m3LeadTime: {
                                    count: number;
                                    fromPush: number;
                                    meanMs: number | null;
                                    p50Ms: number | null;
                                    p90Ms: number | null;
                                };
                                m4IntegrationTestPassRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m5ErrorRateDelta: {
                                    mean: number | null;
                                    trains: number;
                                    worst: number | null;
                                };
                                m6SloCompliance: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m7ChangeFailureRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                m8Rollbacks: {
                                    count: number;
                                    perWeek: number;
                                };
                                m9DeploymentTime: {
                                    count: number;
                                    meanMs: number | null;
                                    p50Ms: number | null;
                                    p90Ms: number | null;
                                };
                                m10SecurityScanFailureRate: {
                                    denominator: number;
                                    numerator: number;
                                    value: number | null;
                                };
                                to: string;
                                trains: {
                                    aborted: number;
                                    departed: number;
                                    ended: number;
                                    hotfixes: number;
                                    released: number;
                                    rolledBack: number;
                                };
                            };
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/trains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Release metrics per train: versions carried, lead and deployment time, gates, canary, M5, rollbacks
         * @description One row per train that was alive in the period (created before `to`, not ended before `from`), newest first: the component versions it carried with the version each replaced, its lead time (M3, per version and the median) and deployment time (M9), its gate verdicts, latest canary score, error rate before and after release (M5), rollbacks, attributed incidents and whether it counts as a failed change (M7). `from` defaults to 30 days before `to`, `to` to now on the engine's clock. `component` keeps trains carrying that component. See docs/metrics.md for the definitions.
         */
        get: {
            parameters: {
                query?: {
                    component?: string;
                    from?: string;
                    /** @description failures: add each train's failed gates and steps with their evidence (`failures`) */
                    include?: "failures";
                    limit?: number;
                    line?: string;
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Trains that matched, before `limit` */
                            matched: number;
                            query: {
                                component?: string;
                                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                                from: string;
                                limit: number;
                                line?: string;
                                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                                to: string;
                            };
                            /** @description Newest first (by creation), at most `limit` */
                            trains: components["schemas"]["TrainMetricsRow"][];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Notifications sent or queued, newest first */
        get: {
            parameters: {
                query?: {
                    channel?: string;
                    limit?: number;
                    status?: "pending" | "delivered" | "failed";
                    train?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts: number;
                            channel: string;
                            createdAt: string;
                            deliveredAt: string | null;
                            eventId: number | null;
                            /** @description The deduplication key: event/<eventId>/<channel> or reminder/<kind>/…/<channel> */
                            id: string;
                            /** @enum {string} */
                            kind: "event" | "reminder";
                            /** @description Why the last attempt failed (never the channel's URL) */
                            lastError: string | null;
                            line: string | null;
                            /** @description What is sent: a Slack message, a CloudEvent or an email */
                            message: unknown;
                            nextAttemptAt: string;
                            severity: string;
                            /** @enum {string} */
                            status: "pending" | "delivered" | "failed";
                            /** @description e.g. train.released, incident.opened, reminder.cutoff */
                            topic: string;
                            trainId: string | null;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a failed notification again (coordinators, admins) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A message to one channel, with its delivery record. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts: number;
                            channel: string;
                            createdAt: string;
                            deliveredAt: string | null;
                            eventId: number | null;
                            /** @description The deduplication key: event/<eventId>/<channel> or reminder/<kind>/…/<channel> */
                            id: string;
                            /** @enum {string} */
                            kind: "event" | "reminder";
                            /** @description Why the last attempt failed (never the channel's URL) */
                            lastError: string | null;
                            line: string | null;
                            /** @description What is sent: a Slack message, a CloudEvent or an email */
                            message: unknown;
                            nextAttemptAt: string;
                            severity: string;
                            /** @enum {string} */
                            status: "pending" | "delivered" | "failed";
                            /** @description e.g. train.released, incident.opened, reminder.cutoff */
                            topic: string;
                            trainId: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pinned components, by name */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Pin"][];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the session cookie (or bearer token) acts as */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description When the session ends (null: authenticated by a bearer token) */
                            expiresAt: string | null;
                            /** @description Effective roles */
                            roles: string[];
                            subject: string;
                            teams: string[];
                            tokenId: string | null;
                            /**
                             * @description How the request authenticated
                             * @enum {string}
                             */
                            via: "token" | "session" | "bootstrap" | "webhook" | "cli";
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Log in to the dashboard: exchange a token for a session cookie
         * @description Authenticates the token and sets the `railyard_session` cookie (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS) for `access.session.ttl`. Mutations made with the cookie must send the returned `csrfToken` as `X-CSRF-Token` (403 otherwise). The session ends at `expiresAt`, at logout, or when its token is revoked or expires. A wrong token is 401 and sets no cookie; CI tokens cannot log in (403).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description An API token */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send it as `X-CSRF-Token` on every mutation made with the cookie. Shown in this answer only. */
                            csrfToken: string;
                            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                            expiresAt: string;
                            /** @description Effective roles */
                            roles: string[];
                            subject: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /**
         * Log out: end the session and clear its cookie
         * @description Needs `X-CSRF-Token` like every mutation made with the cookie.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/timetable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Departures between two instants, ordered by departure (like `railyard timetable`)
         * @description Each departure with its train ID (`<line>-<number>`), scheduled and actual departure, cut-off, deployment window and status (`scheduled`, `shifted` or `skipped` by a blackout, with the reason).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start (inclusive). @default now */
                    from?: string;
                    /** @description Only this line. */
                    line?: string;
                    /** @description End (exclusive), at most two years after `from`. @default 30 days after `from` */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TimetableDeparture"][];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/timetable/spans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Deployment windows and blackout occurrences between two instants (for calendars)
         * @description The spans the engine gates production deployments with: each line's window ranges and every occurrence of its blackouts (the configuration's global ones and the line's; one-off, recurring and holiday-calendar blackouts expanded in their time zone). Spans overlapping [from, to) are listed whole. `from` defaults to now on the engine's clock, `to` to 30 days after `from`; the range may span at most two years.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start (inclusive). @default now */
                    from?: string;
                    /** @description Only this line. */
                    line?: string;
                    /** @description End (exclusive), at most two years after `from`. @default 30 days after `from` */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TimetableSpans"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API tokens (never their secrets): every token for admins, your own for anyone else */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Token"][];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an API token; its secret is shown in this answer only
         * @description Anyone may create a token for themselves with a subset of their own roles (roles are narrowed to the person's configured roles when used). Admins create tokens for anyone, CI tokens (`kind: ci`, pushing artifacts and reports for `components` only) and tokens that never expire. Tokens are stored as SHA-256 hashes; creation is audited.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description CI tokens: the components it may push for */
                        components?: string[];
                        /**
                         * @description Lifetime such as 90d or PT12H, or `never` (admins only). @default 90d
                         * @default 90d
                         */
                        expiresIn?: string;
                        /**
                         * @description user: acts as its subject with its roles; ci: may only push artifacts and reports for `components` (admins only)
                         * @default user
                         * @enum {string}
                         */
                        kind?: "user" | "ci";
                        name: string;
                        /**
                         * @description Roles the token carries; for a configured person they are narrowed to the person's configured roles. Ignored for CI tokens.
                         * @default [
                         *       "member"
                         *     ]
                         */
                        roles?: ("viewer" | "member" | "approver" | "coordinator" | "admin")[];
                        /** @description The person or bot the token acts as (approvals count per subject); omitted: the caller. Only admins create tokens for others. */
                        subject?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            record: components["schemas"]["Token"];
                            token: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a token (admins: any; others: their own) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List trains, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Only trains that have not ended */
                    active?: "true" | "false";
                    /** @description progress: add each train's rollout progress (`progress`: waves, steps running, what it waits for, allowed actions, latest canary analysis), so a dashboard of trains in flight needs no request per train. Costs a few reads per train, so it takes a limit of at most 200. */
                    include?: "progress";
                    limit?: number;
                    line?: string;
                    /** @description Comma-separated states, e.g. deploying,verifying */
                    state?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                            createdAt: string;
                            currentWave: number;
                            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                            cutoffAt: string;
                            /** @description When it departs: the scheduled instant, or where a blackout shifted it. */
                            departureAt: string;
                            endedAt: string | null;
                            /** @description `<line>-<number>`, e.g. web-42; a hotfix train is `<line>-<n>-hotfix-<k>` */
                            id: string;
                            /** @enum {string} */
                            kind: "scheduled" | "hotfix";
                            line: string;
                            manifestRevision: number;
                            /** @description Position in the line's timetable; for a hotfix train, the number of the train it follows */
                            number: number;
                            /** @description Why a paused train is paused: outside its window or in a blackout (the engine resumes it at resumeAt), the error budget burning (resumed when it recovers), an inconclusive canary analysis (a person promotes, resumes to re-run it, or rolls back), or by a person (only a person resumes it). */
                            pauseCause: ("window" | "blackout" | "budget" | "analysis" | "incident" | "manual") | null;
                            progress?: components["schemas"]["TrainProgress"];
                            reason: string | null;
                            /** @description When the engine resumes a train it paused. */
                            resumeAt: string | null;
                            /** @description Where a blocked or paused train returns. */
                            resumeTo: ("scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped") | null;
                            /** @description The last rollback's scope: one wave, or null for the whole train. */
                            rollbackScope: {
                                wave: string;
                            } | null;
                            /** @description The timetable's instant of the departure; null for hotfix trains. */
                            scheduledAt: string | null;
                            /** @enum {string} */
                            state: "scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped";
                            /** @description The state in words with its reason and, for a train the engine paused, when it resumes in the line's time zone: `paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)` */
                            statusText: string;
                            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                            updatedAt: string;
                            wakeAt: string | null;
                            waveDeployedAt: string | null;
                        }[];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A train with its manifest, gates, approvals, waves, steps and events */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TrainDetail"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/abort": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Abort a train that has not changed production (reason required) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Train"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A train's approval tally now, and the approvals and rejections recorded for it
         * @description `groups` says who counts toward each approving group, `excluded` whose approval does not count and why (stale, expired, self, not-member, before-rejection); `records` lists every approval and rejection in the order recorded.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ApprovalStatus"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Approve or reject a train awaiting approval
         * @description An approval counts for the train's current manifest revision, after the latest rejection and within the line's expiresAfter; a person (the token's subject) counts toward at most one of the line's approving groups, and approving twice counts once. Someone in none of the approving teams, or who pushed or authored an artifact the train carries (unless the line sets allowSelfApproval), is refused with 403 and nothing is recorded. A rejection needs a comment (400 without) and blocks the train; approvers may reject a train they pushed to.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Required for a rejection */
                        comment?: string | null;
                        /**
                         * @default approve
                         * @enum {string}
                         */
                        decision?: "approve" | "reject";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description People who fill a seat, in the order they approved; as many as the seats filled */
                            approvers: string[];
                            /** @description True when this person had already approved; it counts once */
                            duplicate: boolean;
                            /** @description People whose approval does not count, and why */
                            excluded: components["schemas"]["ApprovalExclusion"][];
                            /** @description Per approving group, in the configured order */
                            groups: components["schemas"]["ApprovalGroupTally"][];
                            /** @description Seats to fill: the sum of the groups' required (0 for auto) */
                            required: number;
                            satisfied: boolean;
                            /** @description People whose approval is valid but fills no seat: every group they could serve is full */
                            surplus: string[];
                            train: components["schemas"]["Train"];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/checklists": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The train's checklists, with what is ticked for its current manifest revision */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Checklist"][];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/checklists/{gate}/items/{item}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Tick a checklist item (by someone holding the item's role; audited)
         * @description The tick counts for the train's current manifest revision. When it completes a checklist whose gate blocked the train, the train is retried at once (`retried: true`). Ticking an item twice is 409; without the item's role, 403.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    gate: string;
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                    item: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        note?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checklist: components["schemas"]["Checklist"];
                            /** @description True when this tick completed the checklist of a gate that blocked the train, which was retried */
                            retried: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The train's manifest against production: from → to, commits and compare links
         * @description Per component: the version production runs (`from`), the train's (`to`), the change, its status on the manifest with the reason for held and dropped ones, the commits of both versions and a compare link when the component's `repository` is a GitHub or GitLab URL. Before the cut-off it is `provisional`: the latest artifact per component so far.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ManifestDiff"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/drop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Drop a component from a train so it can leave on time (reason required)
         * @description While boarding, the component's artifacts leave the train and ride the next one (`carriedTo`). After the cut-off, the manifest gets a new revision without it, boarding is resolved again and `nowHeld` lists the riders that are now held because of it, each with its reason chain; the train integrates and gates again and approvals given before no longer count. The reason is recorded in the audit trail (400 without one).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        component: string;
                        /** @description Why it leaves the train (required; recorded in the audit trail) */
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DropResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A train's events after a given event id (poll this to follow a train) */
        get: {
            parameters: {
                query?: {
                    afterId?: number;
                    limit?: number;
                };
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Event"][];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/exceptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Exceptions granted to a train to deploy through blackouts */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TrainException"][];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Let a train deploy through a blackout (an audited exception)
         * @description Grants the train an exception for the named blackout, or (without `blackout`) for every blackout stopping its next production wave now; 409 when none does. The caller must hold one of the blackout's `exceptionRoles` (403 names them); an unknown blackout is 404 naming the line's blackouts. Recorded as an `exception.granted` event with the caller and the reason; a train the blackout paused resumes on the next pass.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The blackout to let the train through; omitted: every blackout stopping the train now */
                        blackout?: string | null;
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Every exception the train holds */
                            exceptions: components["schemas"]["TrainException"][];
                            /** @description Blackouts this request let the train through */
                            granted: string[];
                            train: components["schemas"]["Train"];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a train; it stays where it is until resumed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Train"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Promote a train past the rollout step waiting for a person
         * @description A canary pause without a duration, a blue-green switch without autoPromote, or an inconclusive canary analysis (the train is paused with cause analysis; promoting accepts it and resumes). 409 when the train waits for no promotion.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        comment?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Train"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused train */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Train"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry the failed stage of a blocked train */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Train"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll a train back: whole, one component, or the current wave
         * @description Without `component` or `wave`: every wave the train reached is undone, newest first, dependents before dependencies. With `component`: that component is rolled back in every wave it reached while the rest of the train goes on; refused (409) when a riding component needs its new version, unless the line's rollback.dependents is include. With `wave` (the wave the train is in): that wave is undone and the train blocks there; retry deploys it again.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Roll back only this component (in every wave it reached). */
                        component?: string;
                        reason?: string | null;
                        /** @description Roll back only this wave (the one the train is in). */
                        wave?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Train"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/trains/{id}/test-reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** JUnit results pushed for a train, every manifest revision, oldest first */
        get: {
            parameters: {
                query?: {
                    /** @description Include every test case (they can be many) */
                    cases?: "true" | "false";
                };
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TestReport"][];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Push JUnit XML results for a train's integration stage
         * @description Recorded for the train's current manifest revision, where the line's `tests` gates read them; only after the cut-off (409 before) and before the train ends. The suite is `?suite=` when given, else the report's own name. The answer is the report's summary; its cases are listed by `GET …/test-reports?cases=true`. A body that is not JUnit XML is 400 naming the problem.
         */
        post: {
            parameters: {
                query?: {
                    /** @description The suite name a tests gate waits for (default: the report's own name) */
                    suite?: string;
                };
                header?: never;
                path: {
                    /** @description Train ID, e.g. web-42 */
                    id: string;
                };
                cookie?: never;
            };
            /** @description JUnit XML */
            requestBody: {
                content: {
                    "application/octet-stream": string;
                    "application/xml": string;
                    "text/xml": string;
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TestReport"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waivers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Waivers in force (or every one with all=true), oldest first */
        get: {
            parameters: {
                query?: {
                    /** @description Include expired and revoked waivers */
                    all?: "true" | "false";
                    component?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Waiver"][];
                    };
                };
            };
        };
        put?: never;
        /**
         * Waive a finding for a component until an expiry (approvers, coordinators, admins)
         * @description The security gate stops counting the finding for that component until `expires` (a year at most) or until the waiver is revoked; the gate's output lists it as waived, by whom and why. A waiver in force for the same finding and component is 409.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        component: string;
                        /** @description A duration from now (30d), a date (2027-01-31: its end, UTC) or an instant; a year at most */
                        expires: string;
                        /** @description The finding's id, e.g. CVE-2024-1234 */
                        finding: string;
                        justification: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Waiver"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waivers/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a waiver: the finding counts again at once */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Why (required; recorded in the audit trail) */
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Waiver"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/alertmanager": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive Alertmanager's webhook: alerts open, group and resolve incidents
         * @description Alertmanager's webhook_config payload (version 4). Authenticated by the bearer token held in the environment variable `webhooks.alertmanager.tokenFromEnv` names (401 when missing or wrong; 404 when not configured); a body that is not Alertmanager's JSON is 400; both record nothing. Each alert is matched to a train (label `train_id`; else `component` + `version`; else `environment` and time), or to a line (`line`, or the lines carrying `component`), grouped into the open incident of its train (or line), or suppressed by the line's `incidents.suppress` windows. Resending an unchanged alert appends nothing. The answer is 200 with what was done per alert.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        alerts: ({
                            /** @default {} */
                            annotations?: {
                                [key: string]: string;
                            };
                            endsAt: string;
                            fingerprint: string;
                            /** @default  */
                            generatorURL?: string;
                            labels: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            startsAt: string;
                            /** @enum {string} */
                            status: "firing" | "resolved";
                        } & {
                            [key: string]: unknown;
                        })[];
                        commonAnnotations: {
                            [key: string]: string;
                        };
                        commonLabels: {
                            [key: string]: string;
                        };
                        externalURL: string;
                        groupKey: string;
                        groupLabels: {
                            [key: string]: string;
                        };
                        receiver: string;
                        /** @enum {string} */
                        status: "firing" | "resolved";
                        /** @default 0 */
                        truncatedAlerts?: number;
                        /** @enum {string} */
                        version: "4";
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alerts: {
                                alertname: string;
                                fingerprint: string;
                                incidentId: string | null;
                                line: string | null;
                                /**
                                 * @description opened an incident; grouped into (or updated) an open one; resolved in its incident; suppressed by a window; unchanged since the last delivery; ignored (see reason)
                                 * @enum {string}
                                 */
                                outcome: "opened" | "grouped" | "resolved" | "suppressed" | "unchanged" | "ignored";
                                /** @description Why it was ignored, or how it was matched */
                                reason: string | null;
                                /** @enum {string} */
                                status: "firing" | "resolved";
                                trainId: string | null;
                                /** @description The suppression window, for suppressed alerts */
                                window: string | null;
                            }[];
                            /** @description Incidents resolved because every alert of theirs resolved */
                            resolvedIncidents: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/generic": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive CI status from any CI, signed with a shared secret (Railyard's own scheme)
         * @description For CI systems without a receiver of their own. The sender holds the secret the environment variable `webhooks.generic.secretFromEnv` names and signs each request as Railyard's webhook deployer does: X-Railyard-Timestamp is the Unix time in seconds, X-Railyard-Signature is `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<exact body>")>`, X-Railyard-Delivery a unique id. A missing or wrong signature is 401; a timestamp older than `webhooks.maxAge` or more than 5 minutes ahead of the server's clock is 400; a delivery id or signature accepted before is 409. A refused delivery records nothing; it is logged with its reason and counted in `GET /api/v1/health` (`webhooks.rejected.generic`). Without the secret configured the receiver answers 404. The body is one status `{"repository":"acme/api","commit":"<sha>","status":"success","name":"build","url":"https://…","ref":"main"}` (status: success, failure, pending or error; url and ref optional) or `{"statuses":[…]}` (at most 100); each is recorded, timed by the signed timestamp, for the commit of every component whose `repository` is its repository. A body that is not that shape is 400 naming the field.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description A unique id of this delivery (e.g. a UUID): recorded with the status, accepted once; required */
                    "x-railyard-delivery"?: string;
                    /** @description sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">; required */
                    "x-railyard-signature"?: string;
                    /** @description Unix time in seconds the request was signed at; required */
                    "x-railyard-timestamp"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description One CI status, or {statuses: [...]} */
            requestBody: {
                content: {
                    "application/json": unknown;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/github": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a GitHub webhook (workflow_run, check_suite): CI status of a commit
         * @description Set up in GitHub with content type application/json and the secret held in the environment variable `webhooks.github.secretFromEnv` names. X-Hub-Signature-256 (HMAC-SHA256 of the exact body with the secret) is checked before anything is read: a missing or wrong signature is 401. Each delivery is accepted once: the same X-GitHub-Delivery, or the same signature under another delivery id, is 409. The event's own time (`workflow_run.updated_at`, `check_suite.updated_at`) must lie within `webhooks.maxAge` of the server's clock (and at most 5 minutes ahead), else 400: a redelivery keeps its original time. A refused delivery records nothing; it is logged with its reason and counted in `GET /api/v1/health` (`webhooks.rejected.github`). Without the secret configured the receiver answers 404. `workflow_run` and `check_suite` events record the status for the commit of every component whose `repository` is the event's repository (`matched` names the artifacts built from it); a status not newer than the stored one is counted in `ignored`. Other events (ping, push, …) are answered 202 with a `note` and record nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description GitHub's delivery ID: recorded with the status, accepted once */
                    "x-github-delivery"?: string;
                    /** @description e.g. workflow_run, check_suite, ping; required */
                    "x-github-event"?: string;
                    /** @description sha256=<HMAC-SHA256 of the body, hex>; required */
                    "x-hub-signature-256"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description The event payload, as GitHub sends it */
            requestBody: {
                content: {
                    "application/json": unknown;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/gitlab": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Receive a GitLab webhook (pipeline events): CI status of a commit
         * @description Set up in GitLab with the secret token held in the environment variable `webhooks.gitlab.tokenFromEnv` names. A missing or wrong X-Gitlab-Token is 401. Each delivery is accepted once: the same X-Gitlab-Webhook-UUID (else X-Gitlab-Event-UUID), or the same body under another id, is 409. The pipeline's time (`object_attributes.finished_at`, else `created_at`) must lie within `webhooks.maxAge` of the server's clock (and at most 5 minutes ahead), else 400. A refused delivery records nothing; it is logged with its reason and counted in `GET /api/v1/health` (`webhooks.rejected.gitlab`). Without the token configured the receiver answers 404. Pipeline events record the status for the commit of every component whose `repository` is the event's project (`matched` names the artifacts built from it); other events are answered 202 with a `note` and record nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description e.g. Pipeline Hook */
                    "x-gitlab-event"?: string;
                    /** @description GitLab's id of the event, used when X-Gitlab-Webhook-UUID is absent */
                    "x-gitlab-event-uuid"?: string;
                    /** @description The secret token; required */
                    "x-gitlab-token"?: string;
                    /** @description GitLab's id of this request: recorded with the status, accepted once */
                    "x-gitlab-webhook-uuid"?: string;
                };
                path?: never;
                cookie?: never;
            };
            /** @description The event payload, as GitLab sends it */
            requestBody: {
                content: {
                    "application/json": unknown;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookResult"];
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/calendar.ics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The timetable as an iCalendar feed (subscribe to it in Google, Outlook or Apple Calendar)
         * @description Per line: a VEVENT per departure (`web-42 departs`, cancelled when skipped or the train was aborted or skipped), a `boarding closes` VEVENT per cut-off with a reminder an hour before, a recurring VEVENT per deployment window range, a VEVENT per blackout occurrence and one per hotfix train. Times carry the TZID of the line's zone with a VTIMEZONE per zone. UIDs stay the same across fetches (a departure's is its line and scheduled instant, so a shift updates it); SEQUENCE rises whenever an event changes. Like every read, it needs no token; calendar apps that must authenticate can pass `?token=`.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start of the range, an ISO 8601 instant. @default 30 days before now */
                    from?: string;
                    /** @description Only this line. */
                    line?: string;
                    /** @description Only lines carrying a component owned by this team. */
                    team?: string;
                    /** @description End of the range (exclusive), at most two years after `from`. @default 180 days after now */
                    to?: string;
                    /** @description An API token (any role, viewer suffices), for calendar apps that cannot send an Authorization header. Optional like on every read; a token given must be valid. */
                    token?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The iCalendar feed (RFC 5545). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/calendar": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Approval: {
            approver: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            at: string;
            comment: string | null;
            /** @enum {string} */
            decision: "approve" | "reject";
            id: string;
            manifestRevision: number;
            trainId: string;
        };
        /** @description An approval that does not count, and why. */
        ApprovalExclusion: {
            /** @description The approval this reason is about (the person's latest) */
            approvalId: string;
            approver: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            at: string;
            /**
             * @description stale: given for an earlier manifest revision; expired: older than the line's expiresAfter; self: the approver pushed or authored an artifact the train carries; not-member: in none of the approving teams; before-rejection: given before the latest rejection
             * @enum {string}
             */
            reason: "stale" | "expired" | "self" | "not-member" | "before-rejection";
        };
        /** @description An approval that does not count, and why. */
        ApprovalExclusionInput: {
            /** @description The approval this reason is about (the person's latest) */
            approvalId: string;
            approver: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            at: string;
            /**
             * @description stale: given for an earlier manifest revision; expired: older than the line's expiresAfter; self: the approver pushed or authored an artifact the train carries; not-member: in none of the approving teams; before-rejection: given before the latest rejection
             * @enum {string}
             */
            reason: "stale" | "expired" | "self" | "not-member" | "before-rejection";
        };
        /** @description One approving group: `required` distinct members of `team`; a person counts toward one group only. */
        ApprovalGroupTally: {
            /** @description People counted toward this group, in the order they approved */
            approvers: string[];
            required: number;
            satisfied: boolean;
            team: string;
        };
        /** @description One approving group: `required` distinct members of `team`; a person counts toward one group only. */
        ApprovalGroupTallyInput: {
            /** @description People counted toward this group, in the order they approved */
            approvers: string[];
            required: number;
            satisfied: boolean;
            team: string;
        };
        ApprovalInput: {
            approver: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            at: string;
            comment: string | null;
            /** @enum {string} */
            decision: "approve" | "reject";
            id: string;
            manifestRevision: number;
            trainId: string;
        };
        /** @description A train's approval tally now, with every record. */
        ApprovalStatus: {
            /** @description People who fill a seat, in the order they approved; as many as the seats filled */
            approvers: string[];
            /** @description People whose approval does not count, and why */
            excluded: components["schemas"]["ApprovalExclusion"][];
            /** @description Per approving group, in the configured order */
            groups: components["schemas"]["ApprovalGroupTally"][];
            /** @enum {string} */
            mode: "auto" | "manual";
            /** @description Every approval and rejection, in the order recorded */
            records: components["schemas"]["Approval"][];
            /** @description Seats to fill: the sum of the groups' required (0 for auto) */
            required: number;
            satisfied: boolean;
            /** @description People whose approval is valid but fills no seat: every group they could serve is full */
            surplus: string[];
        };
        /** @description A train's approval tally now, with every record. */
        ApprovalStatusInput: {
            /** @description People who fill a seat, in the order they approved; as many as the seats filled */
            approvers: string[];
            /** @description People whose approval does not count, and why */
            excluded: components["schemas"]["ApprovalExclusionInput"][];
            /** @description Per approving group, in the configured order */
            groups: components["schemas"]["ApprovalGroupTallyInput"][];
            /** @enum {string} */
            mode: "auto" | "manual";
            /** @description Every approval and rejection, in the order recorded */
            records: components["schemas"]["ApprovalInput"][];
            /** @description Seats to fill: the sum of the groups' required (0 for auto) */
            required: number;
            satisfied: boolean;
            /** @description People whose approval is valid but fills no seat: every group they could serve is full */
            surplus: string[];
        };
        Artifact: {
            /** @description Login names of the authors of its commits, as CI gave them; they may not approve its train */
            authors: string[];
            buildUrl: string | null;
            ci: {
                name: string;
                /** @enum {string} */
                state: "pending" | "success" | "failure";
                url: string | null;
            } | null;
            commit: string;
            component: string;
            dependsOn: {
                component: string;
                /** @description Both components ship on the same train or neither does (the configuration's same-train) */
                sameTrain?: boolean;
                /** @description semver range */
                version: string;
            }[];
            digest: string | null;
            dropped: boolean;
            id: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            pushedAt: string;
            pushedBy: string;
            trainId: string | null;
            version: string;
        };
        ArtifactInput: {
            /** @description Login names of the authors of its commits, as CI gave them; they may not approve its train */
            authors: string[];
            buildUrl: string | null;
            ci: {
                name: string;
                /** @enum {string} */
                state: "pending" | "success" | "failure";
                url: string | null;
            } | null;
            commit: string;
            component: string;
            dependsOn: {
                component: string;
                /** @description Both components ship on the same train or neither does (the configuration's same-train) */
                sameTrain?: boolean;
                /** @description semver range */
                version: string;
            }[];
            digest: string | null;
            dropped: boolean;
            id: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            pushedAt: string;
            pushedBy: string;
            trainId: string | null;
            version: string;
        };
        ArtifactPush: {
            /** @description Login names of the authors of the commits it was built from (e.g. since the previous release). Like the pusher, they may not approve a train carrying it unless the line sets allowSelfApproval. */
            authors?: string[] | null;
            buildUrl?: string | null;
            /** @description CI status of the build, when known at push time; webhooks (GitHub, GitLab) may report it too. A failed or running status holds the artifact at the cut-off. */
            ci?: {
                /** @description What ran, e.g. the workflow's name (default: ci) */
                name?: string | null;
                /** @enum {string} */
                state: "pending" | "success" | "failure";
                url?: string | null;
            } | null;
            /** @description Git commit SHA the artifact was built from */
            commit: string;
            /** @description When the commit was made (ISO 8601), as CI knows it; the release metrics' lead time (M3) counts from it, else from the push */
            committedAt?: string | null;
            component: string;
            /** @description This version's constraints; defaults to the component's configured depends_on */
            dependsOn?: {
                component: string;
                /** @description Both components ship on the same train or neither does (the configuration's same-train) */
                sameTrain?: boolean;
                /** @description semver range */
                version: string;
            }[] | null;
            /** @description Image or package digest, e.g. sha256:… */
            digest?: string | null;
            /** @description Board this train (e.g. web-42) instead of the open one */
            train?: string | null;
            /** @description Semantic version, e.g. 1.4.2 */
            version: string;
        };
        ArtifactPushInput: {
            /** @description Login names of the authors of the commits it was built from (e.g. since the previous release). Like the pusher, they may not approve a train carrying it unless the line sets allowSelfApproval. */
            authors?: string[] | null;
            buildUrl?: string | null;
            /** @description CI status of the build, when known at push time; webhooks (GitHub, GitLab) may report it too. A failed or running status holds the artifact at the cut-off. */
            ci?: {
                /** @description What ran, e.g. the workflow's name (default: ci) */
                name?: string | null;
                /** @enum {string} */
                state: "pending" | "success" | "failure";
                url?: string | null;
            } | null;
            /** @description Git commit SHA the artifact was built from */
            commit: string;
            /** @description When the commit was made (ISO 8601), as CI knows it; the release metrics' lead time (M3) counts from it, else from the push */
            committedAt?: string | null;
            component: string;
            /** @description This version's constraints; defaults to the component's configured depends_on */
            dependsOn?: {
                component: string;
                /** @description Both components ship on the same train or neither does (the configuration's same-train) */
                sameTrain?: boolean;
                /** @description semver range */
                version: string;
            }[] | null;
            /** @description Image or package digest, e.g. sha256:… */
            digest?: string | null;
            /** @description Board this train (e.g. web-42) instead of the open one */
            train?: string | null;
            /** @description Semantic version, e.g. 1.4.2 */
            version: string;
        };
        /** @description A report pushed for an artifact; its bytes are at /api/v1/artifacts/{id}/reports/{reportId}. */
        ArtifactReport: {
            actor: string;
            artifactId: string;
            /** @description e.g. grype, trivy, cyclonedx-1.6, spdx-2.3, sarif-2.1.0, openvex, junit */
            format: string;
            id: string;
            /**
             * @description Detected from the content
             * @enum {string}
             */
            kind: "junit" | "sbom" | "vulnerabilities" | "vex";
            name: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            receivedAt: string;
            /** @description SHA-256 of the bytes, hex */
            sha256: string;
            /** @description Bytes */
            size: number;
        };
        /** @description A report pushed for an artifact; its bytes are at /api/v1/artifacts/{id}/reports/{reportId}. */
        ArtifactReportInput: {
            actor: string;
            artifactId: string;
            /** @description e.g. grype, trivy, cyclonedx-1.6, spdx-2.3, sarif-2.1.0, openvex, junit */
            format: string;
            id: string;
            /**
             * @description Detected from the content
             * @enum {string}
             */
            kind: "junit" | "sbom" | "vulnerabilities" | "vex";
            name: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            receivedAt: string;
            /** @description SHA-256 of the bytes, hex */
            sha256: string;
            /** @description Bytes */
            size: number;
        };
        /** @description One occurrence of a blackout on a line. */
        BlackoutSpan: {
            /** @description Exclusive. */
            end: string;
            /** @description The environments it stops; null for every production environment. */
            environments: string[] | null;
            /** @description Roles that may let one train through it, with a reason. */
            exceptionRoles: string[];
            /** @description The line it stops (a global blackout is listed once per line). */
            line: string;
            name: string;
            reason: string;
            /**
             * @description global: the configuration's `blackouts`; line: the line's own.
             * @enum {string}
             */
            scope: "global" | "line";
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            start: string;
        };
        /** @description One occurrence of a blackout on a line. */
        BlackoutSpanInput: {
            /** @description Exclusive. */
            end: string;
            /** @description The environments it stops; null for every production environment. */
            environments: string[] | null;
            /** @description Roles that may let one train through it, with a reason. */
            exceptionRoles: string[];
            /** @description The line it stops (a global blackout is listed once per line). */
            line: string;
            name: string;
            reason: string;
            /**
             * @description global: the configuration's `blackouts`; line: the line's own.
             * @enum {string}
             */
            scope: "global" | "line";
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            start: string;
        };
        /** @description A checklist gate of a train and what is ticked for its current manifest revision. */
        Checklist: {
            complete: boolean;
            gate: string;
            items: {
                id: string;
                /** @description Roles that may tick it */
                roles: string[];
                text: string;
                ticked: {
                    /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                    at: string;
                    by: string;
                    note: string | null;
                } | null;
            }[];
            /** @description The manifest revision the ticks count for */
            revision: number;
            /** @description gating, hotfix or verify/<wave> */
            stage: string;
        };
        /** @description A checklist gate of a train and what is ticked for its current manifest revision. */
        ChecklistInput: {
            complete: boolean;
            gate: string;
            items: {
                id: string;
                /** @description Roles that may tick it */
                roles: string[];
                text: string;
                ticked: {
                    /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                    at: string;
                    by: string;
                    note: string | null;
                } | null;
            }[];
            /** @description The manifest revision the ticks count for */
            revision: number;
            /** @description gating, hotfix or verify/<wave> */
            stage: string;
        };
        /** @description The latest CI status of one commit from one source. */
        CiStatus: {
            commit: string;
            /** @description The provider's own word (success, cancelled, failed, …) */
            conclusion: string | null;
            /** @description The source within the provider: workflow, check suite app, pipeline */
            name: string;
            /**
             * @description Who reported it: a webhook receiver, or the artifact's push
             * @enum {string}
             */
            provider: "github" | "gitlab" | "generic" | "push";
            /** @description Branch or tag, when the provider says */
            ref: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            reportedAt: string;
            /** @description Normalised repository path, lowercase: acme/api */
            repository: string;
            /** @enum {string} */
            state: "pending" | "success" | "failure";
            url: string | null;
        };
        /** @description The latest CI status of one commit from one source. */
        CiStatusInput: {
            commit: string;
            /** @description The provider's own word (success, cancelled, failed, …) */
            conclusion: string | null;
            /** @description The source within the provider: workflow, check suite app, pipeline */
            name: string;
            /**
             * @description Who reported it: a webhook receiver, or the artifact's push
             * @enum {string}
             */
            provider: "github" | "gitlab" | "generic" | "push";
            /** @description Branch or tag, when the provider says */
            ref: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            reportedAt: string;
            /** @description Normalised repository path, lowercase: acme/api */
            repository: string;
            /** @enum {string} */
            state: "pending" | "success" | "failure";
            url: string | null;
        };
        Deployment: {
            component: string;
            environment: string;
            trainId: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            updatedAt: string;
            version: string;
        };
        DeploymentInput: {
            component: string;
            environment: string;
            trainId: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            updatedAt: string;
            version: string;
        };
        DropResult: {
            /** @description The train its artifact rides now (null when the timetable has no next train) */
            carriedTo: string | null;
            component: string;
            /** @description Riders held because of the drop (they ride the next train too) */
            nowHeld: {
                component: string;
                /** @description The reasons joined with `; ` */
                reason: string;
                /** @description Its own reason first, then those of the held components it waits for, to the root cause */
                reasons: string[];
                version: string;
            }[];
            train: components["schemas"]["Train"];
        };
        DropResultInput: {
            /** @description The train its artifact rides now (null when the timetable has no next train) */
            carriedTo: string | null;
            component: string;
            /** @description Riders held because of the drop (they ride the next train too) */
            nowHeld: {
                component: string;
                /** @description The reasons joined with `; ` */
                reason: string;
                /** @description Its own reason first, then those of the held components it waits for, to the root cause */
                reasons: string[];
                version: string;
            }[];
            train: components["schemas"]["TrainInput"];
        };
        /** @description One entry of the hash-chained audit log. */
        Event: {
            actor: string;
            hash: string;
            id: number;
            payload: {
                [key: string]: unknown;
            };
            prevHash: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            time: string;
            trainId: string | null;
            type: string;
        };
        /** @description One entry of the hash-chained audit log. */
        EventInput: {
            actor: string;
            hash: string;
            id: number;
            payload: {
                [key: string]: unknown;
            };
            prevHash: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            time: string;
            trainId: string | null;
            type: string;
        };
        GateResult: {
            attempt: number;
            /** @description Structured evidence, null when none. A canary analysis: {kind: canary, score, classification, thresholds, interim, groups, metrics: [{name, verdict, pValue, hodgesLehmann, ci, effectRatio, baseline: {points}, canary: {points}}]} */
            detail: unknown;
            durationMs: number;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            evaluatedAt: string;
            gate: string;
            id: string;
            /** @description The evidence: the first line says what decided the verdict */
            output: string;
            stage: string;
            /** @enum {string} */
            status: "passed" | "failed";
            trainId: string;
            type: string;
            /**
             * @description fail: the evidence says no; inconclusive: not enough evidence; error: could not evaluate
             * @enum {string}
             */
            verdict: "pass" | "fail" | "inconclusive" | "error";
        };
        GateResultInput: {
            attempt: number;
            /** @description Structured evidence, null when none. A canary analysis: {kind: canary, score, classification, thresholds, interim, groups, metrics: [{name, verdict, pValue, hodgesLehmann, ci, effectRatio, baseline: {points}, canary: {points}}]} */
            detail: unknown;
            durationMs: number;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            evaluatedAt: string;
            gate: string;
            id: string;
            /** @description The evidence: the first line says what decided the verdict */
            output: string;
            stage: string;
            /** @enum {string} */
            status: "passed" | "failed";
            trainId: string;
            type: string;
            /**
             * @description fail: the evidence says no; inconclusive: not enough evidence; error: could not evaluate
             * @enum {string}
             */
            verdict: "pass" | "fail" | "inconclusive" | "error";
        };
        HotfixRequest: {
            /** @description Component versions to ship, each already pushed */
            components: {
                component: string;
                /** @description A version CI has pushed as an artifact */
                version: string;
            }[];
            /** @description Needed when a blackout stops the line now: why the hotfix may deploy through it (the caller needs one of the blackout's exceptionRoles) */
            exceptionReason?: string | null;
            reason: string;
        };
        HotfixRequestInput: {
            /** @description Component versions to ship, each already pushed */
            components: {
                component: string;
                /** @description A version CI has pushed as an artifact */
                version: string;
            }[];
            /** @description Needed when a blackout stops the line now: why the hotfix may deploy through it (the caller needs one of the blackout's exceptionRoles) */
            exceptionReason?: string | null;
            reason: string;
        };
        Incident: {
            component: string | null;
            detail: string | null;
            environment: string | null;
            id: string;
            labels: {
                [key: string]: string;
            } | null;
            line: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            openedAt: string;
            openedBy: string;
            resolution: string | null;
            resolvedAt: string | null;
            resolvedBy: string | null;
            /**
             * @description critical acts on trains by the line's incident policy and pages; warning opens a ticket
             * @enum {string}
             */
            severity: "critical" | "warning" | "info";
            /** @enum {string} */
            source: "manual" | "alertmanager" | "rollback";
            /** @description When the problem started (the first alert's startsAt); MTTR counts from here */
            startedAt: string;
            /** @enum {string} */
            status: "open" | "resolved";
            /** @description While open, no train of the line departs or starts a wave. */
            stopsLine: boolean;
            title: string;
            trainId: string | null;
        };
        IncidentInput: {
            component: string | null;
            detail: string | null;
            environment: string | null;
            id: string;
            labels: {
                [key: string]: string;
            } | null;
            line: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            openedAt: string;
            openedBy: string;
            resolution: string | null;
            resolvedAt: string | null;
            resolvedBy: string | null;
            /**
             * @description critical acts on trains by the line's incident policy and pages; warning opens a ticket
             * @enum {string}
             */
            severity: "critical" | "warning" | "info";
            /** @enum {string} */
            source: "manual" | "alertmanager" | "rollback";
            /** @description When the problem started (the first alert's startsAt); MTTR counts from here */
            startedAt: string;
            /** @enum {string} */
            status: "open" | "resolved";
            /** @description While open, no train of the line departs or starts a wave. */
            stopsLine: boolean;
            title: string;
            trainId: string | null;
        };
        LineSummary: {
            activeTrains: {
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                cutoffAt: string;
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                departureAt: string;
                id: string;
                reason: string | null;
                /** @enum {string} */
                state: "scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped";
            }[];
            approval: string;
            components: string[];
            description: string | null;
            name: string;
            nextDepartures: components["schemas"]["TimetableDeparture"][];
            schedule: {
                cron?: string;
                cutoff: string | {
                    at: string;
                    businessDays: number;
                };
                exdates: string[];
                rdates: string[];
                rrule?: string;
                start: string;
                timezone: string;
            };
            waves: string[];
        };
        LineSummaryInput: {
            activeTrains: {
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                cutoffAt: string;
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                departureAt: string;
                id: string;
                reason: string | null;
                /** @enum {string} */
                state: "scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped";
            }[];
            approval: string;
            components: string[];
            description: string | null;
            name: string;
            nextDepartures: components["schemas"]["TimetableDepartureInput"][];
            schedule: {
                cron?: string;
                cutoff: string | {
                    at: string;
                    businessDays: number;
                };
                exdates: string[];
                rdates: string[];
                rrule?: string;
                start: string;
                timezone: string;
            };
            waves: string[];
        };
        /** @description A train's manifest against production: from → to per component, commits and compare links. */
        ManifestDiff: {
            items: {
                /** @enum {string} */
                change: "new" | "upgrade" | "downgrade" | "same";
                /** @description The commit range on GitHub or GitLab, when the component's repository is such a URL */
                compareUrl: string | null;
                component: string;
                /** @description What production runs (null: never released) */
                from: string | null;
                fromCommit: string | null;
                /** @description Why a held or dropped component does not ride */
                reason: string | null;
                /** @description On the manifest; null before the cut-off (not decided yet) */
                status: ("boarded" | "held" | "dropped") | null;
                /** @description The version on the train */
                to: string;
                toCommit: string | null;
            }[];
            /** @description True before the cut-off: the diff is of the latest artifact per component so far */
            provisional: boolean;
            /** @description Manifest revision (0 before the cut-off) */
            revision: number;
            train: string;
        };
        /** @description A train's manifest against production: from → to per component, commits and compare links. */
        ManifestDiffInput: {
            items: {
                /** @enum {string} */
                change: "new" | "upgrade" | "downgrade" | "same";
                /** @description The commit range on GitHub or GitLab, when the component's repository is such a URL */
                compareUrl: string | null;
                component: string;
                /** @description What production runs (null: never released) */
                from: string | null;
                fromCommit: string | null;
                /** @description Why a held or dropped component does not ride */
                reason: string | null;
                /** @description On the manifest; null before the cut-off (not decided yet) */
                status: ("boarded" | "held" | "dropped") | null;
                /** @description The version on the train */
                to: string;
                toCommit: string | null;
            }[];
            /** @description True before the cut-off: the diff is of the latest artifact per component so far */
            provisional: boolean;
            /** @description Manifest revision (0 before the cut-off) */
            revision: number;
            train: string;
        };
        ManifestItem: {
            artifactId: string;
            component: string;
            /** @description The constraints of this version, as recorded */
            dependsOn: {
                component: string;
                /** @description Both components ship on the same train or neither does (the configuration's same-train) */
                sameTrain?: boolean;
                /** @description semver range */
                version: string;
            }[];
            previousVersion: string | null;
            reason: string | null;
            revision: number;
            /** @enum {string} */
            status: "boarded" | "held" | "dropped";
            trainId: string;
            version: string;
        };
        ManifestItemInput: {
            artifactId: string;
            component: string;
            /** @description The constraints of this version, as recorded */
            dependsOn: {
                component: string;
                /** @description Both components ship on the same train or neither does (the configuration's same-train) */
                sameTrain?: boolean;
                /** @description semver range */
                version: string;
            }[];
            previousVersion: string | null;
            reason: string | null;
            revision: number;
            /** @enum {string} */
            status: "boarded" | "held" | "dropped";
            trainId: string;
            version: string;
        };
        /** @description A component held at its production version on every train of its line until unpinned. */
        Pin: {
            /** @description Who pinned it */
            actor: string;
            component: string;
            line: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            pinnedAt: string;
            reason: string;
            /** @description What production ran when it was pinned (null: never released) */
            version: string | null;
        };
        /** @description A component held at its production version on every train of its line until unpinned. */
        PinInput: {
            /** @description Who pinned it */
            actor: string;
            component: string;
            line: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            pinnedAt: string;
            reason: string;
            /** @description What production ran when it was pinned (null: never released) */
            version: string | null;
        };
        PinResult: {
            pin: components["schemas"]["Pin"];
            /** @description Trains past their cut-off whose manifest changed, and who is held there now */
            remanifested: {
                nowHeld: {
                    component: string;
                    /** @description The reasons joined with `; ` */
                    reason: string;
                    /** @description Its own reason first, then those of the held components it waits for, to the root cause */
                    reasons: string[];
                    version: string;
                }[];
                train: string;
            }[];
        };
        PinResultInput: {
            pin: components["schemas"]["PinInput"];
            /** @description Trains past their cut-off whose manifest changed, and who is held there now */
            remanifested: {
                nowHeld: {
                    component: string;
                    /** @description The reasons joined with `; ` */
                    reason: string;
                    /** @description Its own reason first, then those of the held components it waits for, to the root cause */
                    reasons: string[];
                    version: string;
                }[];
                train: string;
            }[];
        };
        /** @description RFC 9457 problem details (application/problem+json). */
        Problem: {
            code: string;
            /** @description What is wrong and how to fix it. */
            detail: string;
            instance?: string;
            problems?: unknown[];
            status: number;
            title: string;
            /** @description Stable error code URI, e.g. https://railyard.dev/problems/conflict */
            type: string;
        } & {
            [key: string]: unknown;
        };
        /** @description RFC 9457 problem details (application/problem+json). */
        ProblemInput: {
            code: string;
            /** @description What is wrong and how to fix it. */
            detail: string;
            instance?: string;
            problems?: unknown[];
            status: number;
            title: string;
            /** @description Stable error code URI, e.g. https://railyard.dev/problems/conflict */
            type: string;
        } & {
            [key: string]: unknown;
        };
        PushResult: {
            artifact: components["schemas"]["Artifact"];
            /** @description True when it missed the cut-off it aimed for and boarded the next train */
            late: boolean;
            message: string;
            /** @description True when this exact artifact had been pushed before */
            replay: boolean;
            train: {
                cutoffAt: string;
                departureAt: string;
                id: string;
                /** @enum {string} */
                state: "scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped";
            };
        };
        PushResultInput: {
            artifact: components["schemas"]["ArtifactInput"];
            /** @description True when it missed the cut-off it aimed for and boarded the next train */
            late: boolean;
            message: string;
            /** @description True when this exact artifact had been pushed before */
            replay: boolean;
            train: {
                cutoffAt: string;
                departureAt: string;
                id: string;
                /** @enum {string} */
                state: "scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped";
            };
        };
        Step: {
            attempt: number;
            durationMs: number | null;
            error: string | null;
            finishedAt: string | null;
            id: string;
            idempotencyKey: string;
            key: string;
            /** @enum {string} */
            kind: "integrate" | "gate" | "deploy" | "rollback" | "runbook";
            output: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            startedAt: string;
            /** @enum {string} */
            status: "running" | "succeeded" | "failed";
            trainId: string;
        };
        StepInput: {
            attempt: number;
            durationMs: number | null;
            error: string | null;
            finishedAt: string | null;
            id: string;
            idempotencyKey: string;
            key: string;
            /** @enum {string} */
            kind: "integrate" | "gate" | "deploy" | "rollback" | "runbook";
            output: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            startedAt: string;
            /** @enum {string} */
            status: "running" | "succeeded" | "failed";
            trainId: string;
        };
        /** @description JUnit results CI posted for a train's integration stage. */
        TestReport: {
            actor: string;
            /** @description Only with `?cases=true` */
            cases?: {
                classname: string;
                durationMs: number;
                message: string | null;
                name: string;
                reruns: number;
                /** @enum {string} */
                status: "passed" | "failed" | "errored" | "skipped" | "flaky";
                suite: string;
            }[];
            id: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            receivedAt: string;
            /** @description The manifest revision it was recorded for */
            revision: number;
            suite: string;
            summary: {
                durationMs: number;
                errored: number;
                failed: number;
                /** @description Failed, then passed on a rerun; counts as passed in the tests gate */
                flaky: number;
                passed: number;
                skipped: number;
                /** @description Every case: passed + failed + errored + skipped + flaky */
                tests: number;
                /** @description True when more cases ran than were kept */
                truncated: boolean;
            };
            trainId: string;
        };
        /** @description JUnit results CI posted for a train's integration stage. */
        TestReportInput: {
            actor: string;
            /** @description Only with `?cases=true` */
            cases?: {
                classname: string;
                durationMs: number;
                message: string | null;
                name: string;
                reruns: number;
                /** @enum {string} */
                status: "passed" | "failed" | "errored" | "skipped" | "flaky";
                suite: string;
            }[];
            id: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            receivedAt: string;
            /** @description The manifest revision it was recorded for */
            revision: number;
            suite: string;
            summary: {
                durationMs: number;
                errored: number;
                failed: number;
                /** @description Failed, then passed on a rerun; counts as passed in the tests gate */
                flaky: number;
                passed: number;
                skipped: number;
                /** @description Every case: passed + failed + errored + skipped + flaky */
                tests: number;
                /** @description True when more cases ran than were kept */
                truncated: boolean;
            };
            trainId: string;
        };
        TimetableDeparture: {
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            cutoffAt: string;
            /** @description The scheduled instant, or where a blackout shifted it. */
            departureAt: string;
            line: string;
            number: number;
            /** @description For shifted and skipped departures: the blackout. */
            reason: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            scheduledAt: string;
            /** @enum {string} */
            status: "scheduled" | "shifted" | "skipped";
            /** @description The ID the train has (or will have): <line>-<number>. */
            train: string;
            windowEnd: string | null;
            windowStart: string | null;
        };
        TimetableDepartureInput: {
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            cutoffAt: string;
            /** @description The scheduled instant, or where a blackout shifted it. */
            departureAt: string;
            line: string;
            number: number;
            /** @description For shifted and skipped departures: the blackout. */
            reason: string | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            scheduledAt: string;
            /** @enum {string} */
            status: "scheduled" | "shifted" | "skipped";
            /** @description The ID the train has (or will have): <line>-<number>. */
            train: string;
            windowEnd: string | null;
            windowStart: string | null;
        };
        TimetableSpans: {
            /** @description Blackout occurrences overlapping the range, by start. */
            blackouts: components["schemas"]["BlackoutSpan"][];
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            from: string;
            /** @description Lines that configure no window: they may deploy at any time. */
            linesWithoutWindow: string[];
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            to: string;
            /** @description Deployment windows overlapping the range; a line without a window has none (it may deploy any time). */
            windows: components["schemas"]["WindowSpan"][];
        };
        TimetableSpansInput: {
            /** @description Blackout occurrences overlapping the range, by start. */
            blackouts: components["schemas"]["BlackoutSpanInput"][];
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            from: string;
            /** @description Lines that configure no window: they may deploy at any time. */
            linesWithoutWindow: string[];
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            to: string;
            /** @description Deployment windows overlapping the range; a line without a window has none (it may deploy any time). */
            windows: components["schemas"]["WindowSpanInput"][];
        };
        Token: {
            /** @description CI tokens: the components it may push for */
            components: string[] | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            expiresAt: string | null;
            id: string;
            /**
             * @description user: acts as its subject; ci: pushes artifacts and reports only
             * @enum {string}
             */
            kind: "user" | "ci";
            lastUsedAt: string | null;
            name: string;
            revokedAt: string | null;
            roles: string[];
            subject: string;
        };
        TokenInput: {
            /** @description CI tokens: the components it may push for */
            components: string[] | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            expiresAt: string | null;
            id: string;
            /**
             * @description user: acts as its subject; ci: pushes artifacts and reports only
             * @enum {string}
             */
            kind: "user" | "ci";
            lastUsedAt: string | null;
            name: string;
            revokedAt: string | null;
            roles: string[];
            subject: string;
        };
        Train: {
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            currentWave: number;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            cutoffAt: string;
            /** @description When it departs: the scheduled instant, or where a blackout shifted it. */
            departureAt: string;
            endedAt: string | null;
            /** @description `<line>-<number>`, e.g. web-42; a hotfix train is `<line>-<n>-hotfix-<k>` */
            id: string;
            /** @enum {string} */
            kind: "scheduled" | "hotfix";
            line: string;
            manifestRevision: number;
            /** @description Position in the line's timetable; for a hotfix train, the number of the train it follows */
            number: number;
            /** @description Why a paused train is paused: outside its window or in a blackout (the engine resumes it at resumeAt), the error budget burning (resumed when it recovers), an inconclusive canary analysis (a person promotes, resumes to re-run it, or rolls back), or by a person (only a person resumes it). */
            pauseCause: ("window" | "blackout" | "budget" | "analysis" | "incident" | "manual") | null;
            reason: string | null;
            /** @description When the engine resumes a train it paused. */
            resumeAt: string | null;
            /** @description Where a blocked or paused train returns. */
            resumeTo: ("scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped") | null;
            /** @description The last rollback's scope: one wave, or null for the whole train. */
            rollbackScope: {
                wave: string;
            } | null;
            /** @description The timetable's instant of the departure; null for hotfix trains. */
            scheduledAt: string | null;
            /** @enum {string} */
            state: "scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped";
            /** @description The state in words with its reason and, for a train the engine paused, when it resumes in the line's time zone: `paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)` */
            statusText: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            updatedAt: string;
            wakeAt: string | null;
            waveDeployedAt: string | null;
        };
        TrainDetail: {
            allowedActions: ("approve" | "reject" | "pause" | "resume" | "abort" | "rollback" | "retry" | "drop" | "promote")[];
            approval: components["schemas"]["ApprovalStatus"];
            artifacts: components["schemas"]["Artifact"][];
            /** @description A rollout step waiting for a person: promote (POST /trains/{id}/promote) or approve (POST /trains/{id}/approvals). */
            awaiting: {
                /** @enum {string} */
                kind: "promote" | "approval";
                step: string;
                wave: string;
            } | null;
            diff: components["schemas"]["ManifestDiff"];
            events: components["schemas"]["Event"][];
            gates: components["schemas"]["GateResult"][];
            manifest: components["schemas"]["ManifestItem"][];
            steps: components["schemas"]["Step"][];
            /** @description JUnit results recorded for the current manifest revision, without their cases */
            testReports: components["schemas"]["TestReport"][];
            train: components["schemas"]["Train"];
            waitingFor: string | null;
            waves: {
                environments: string[];
                name: string;
                /** @enum {string} */
                status: "pending" | "deploying" | "baking" | "verifying" | "done" | "failed" | "rolled_back";
            }[];
        };
        TrainDetailInput: {
            allowedActions: ("approve" | "reject" | "pause" | "resume" | "abort" | "rollback" | "retry" | "drop" | "promote")[];
            approval: components["schemas"]["ApprovalStatusInput"];
            artifacts: components["schemas"]["ArtifactInput"][];
            /** @description A rollout step waiting for a person: promote (POST /trains/{id}/promote) or approve (POST /trains/{id}/approvals). */
            awaiting: {
                /** @enum {string} */
                kind: "promote" | "approval";
                step: string;
                wave: string;
            } | null;
            diff: components["schemas"]["ManifestDiffInput"];
            events: components["schemas"]["EventInput"][];
            gates: components["schemas"]["GateResultInput"][];
            manifest: components["schemas"]["ManifestItemInput"][];
            steps: components["schemas"]["StepInput"][];
            /** @description JUnit results recorded for the current manifest revision, without their cases */
            testReports: components["schemas"]["TestReportInput"][];
            train: components["schemas"]["TrainInput"];
            waitingFor: string | null;
            waves: {
                environments: string[];
                name: string;
                /** @enum {string} */
                status: "pending" | "deploying" | "baking" | "verifying" | "done" | "failed" | "rolled_back";
            }[];
        };
        /** @description A train's permission to deploy through one blackout. */
        TrainException: {
            /** @description Who granted it */
            actor: string;
            /** @description The blackout's name */
            blackout: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            grantedAt: string;
            reason: string;
            trainId: string;
        };
        /** @description A train's permission to deploy through one blackout. */
        TrainExceptionInput: {
            /** @description Who granted it */
            actor: string;
            /** @description The blackout's name */
            blackout: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            grantedAt: string;
            reason: string;
            trainId: string;
        };
        TrainInput: {
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            currentWave: number;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            cutoffAt: string;
            /** @description When it departs: the scheduled instant, or where a blackout shifted it. */
            departureAt: string;
            endedAt: string | null;
            /** @description `<line>-<number>`, e.g. web-42; a hotfix train is `<line>-<n>-hotfix-<k>` */
            id: string;
            /** @enum {string} */
            kind: "scheduled" | "hotfix";
            line: string;
            manifestRevision: number;
            /** @description Position in the line's timetable; for a hotfix train, the number of the train it follows */
            number: number;
            /** @description Why a paused train is paused: outside its window or in a blackout (the engine resumes it at resumeAt), the error budget burning (resumed when it recovers), an inconclusive canary analysis (a person promotes, resumes to re-run it, or rolls back), or by a person (only a person resumes it). */
            pauseCause: ("window" | "blackout" | "budget" | "analysis" | "incident" | "manual") | null;
            reason: string | null;
            /** @description When the engine resumes a train it paused. */
            resumeAt: string | null;
            /** @description Where a blocked or paused train returns. */
            resumeTo: ("scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped") | null;
            /** @description The last rollback's scope: one wave, or null for the whole train. */
            rollbackScope: {
                wave: string;
            } | null;
            /** @description The timetable's instant of the departure; null for hotfix trains. */
            scheduledAt: string | null;
            /** @enum {string} */
            state: "scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped";
            /** @description The state in words with its reason and, for a train the engine paused, when it resumes in the line's time zone: `paused: outside window — resumes 2026-03-03 10:00 CET (Europe/Berlin)` */
            statusText: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            updatedAt: string;
            wakeAt: string | null;
            waveDeployedAt: string | null;
        };
        /** @description What Railyard recorded about one train, for the debug view. */
        TrainMetricsRow: {
            /** @description The latest canary analysis score (0–100); null when no canary gate ran */
            canaryScore: number | null;
            /** @description M7 for this train: any rollback, a critical incident attributed, or a hotfix train following it; null: it never departed */
            changeFailed: boolean | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            /** @description When its first production wave started */
            departedAt: string | null;
            /** @description M9: first production wave started → released; null unless both happened */
            deploymentTimeMs: number | null;
            endedAt: string | null;
            /** @description M5: the line's error ratio over the window before the first wave and after release; null: not measured */
            errorRate: {
                after: number | null;
                before: number | null;
                /** @description after − before; null when either is unknown */
                delta: number | null;
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                measuredAt: string;
                window: string;
            } | null;
            /** @description Only with include=failures: the train's gate results that did not pass and its failed steps, with their evidence (empty lists when none) */
            failures?: {
                /** @description Gate results that did not pass, in evaluation order */
                gates: components["schemas"]["GateResult"][];
                /** @description Why the train stopped or was rolled back, as the train records it */
                reason: string | null;
                /** @description Steps that failed, in the order they ran */
                steps: components["schemas"]["Step"][];
            };
            /** @description Every gate evaluation of the train (gating and verify stages, retries included) by verdict */
            gates: {
                error: number;
                evaluations: number;
                fail: number;
                inconclusive: number;
                pass: number;
            };
            /** @description Incidents attributed to the train (their trainId), oldest first */
            incidents: {
                id: string;
                /** @enum {string} */
                severity: "critical" | "warning" | "info";
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                startedAt: string;
                /** @enum {string} */
                status: "open" | "resolved";
                title: string;
            }[];
            /** @enum {string} */
            kind: "scheduled" | "hotfix";
            /** @description Median (nearest rank) of its versions' lead times; null until released */
            leadTimeMs: number | null;
            line: string;
            number: number;
            /** @description How it ended; null while it runs */
            outcome: ("released" | "rolled_back" | "aborted" | "skipped") | null;
            releasedAt: string | null;
            rollbacks: {
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                at: string;
                /** @description For component rollbacks: the components undone */
                components: string[];
                /** @enum {string} */
                scope: "train" | "wave" | "component";
            }[];
            /** @description The train's current state (final once it ended); null: not in the store */
            state: ("scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped") | null;
            /** @description M4: integration test cases passed (flaky included) / run (skipped excluded), every report */
            tests: {
                passed: number;
                run: number;
            };
            trainId: string;
            /** @description The components it carries, by name: the frozen manifest's boarded items (dropped ones removed); before freezing, the artifacts that boarded it */
            versions: {
                artifactId: string;
                /** @description The commit's time as CI gave it; null: unknown */
                committedAt: string | null;
                component: string;
                /** @enum {string} */
                leadTimeFrom: "commit" | "push";
                /** @description M3 for this version: commit (or push, when the commit time is unknown) → the train released; null until released */
                leadTimeMs: number | null;
                /** @description What ran in production before this train (from its frozen manifest); null: none, or not frozen yet */
                previousVersion: string | null;
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                pushedAt: string;
                version: string;
            }[];
        };
        /** @description What Railyard recorded about one train, for the debug view. */
        TrainMetricsRowInput: {
            /** @description The latest canary analysis score (0–100); null when no canary gate ran */
            canaryScore: number | null;
            /** @description M7 for this train: any rollback, a critical incident attributed, or a hotfix train following it; null: it never departed */
            changeFailed: boolean | null;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            /** @description When its first production wave started */
            departedAt: string | null;
            /** @description M9: first production wave started → released; null unless both happened */
            deploymentTimeMs: number | null;
            endedAt: string | null;
            /** @description M5: the line's error ratio over the window before the first wave and after release; null: not measured */
            errorRate: {
                after: number | null;
                before: number | null;
                /** @description after − before; null when either is unknown */
                delta: number | null;
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                measuredAt: string;
                window: string;
            } | null;
            /** @description Only with include=failures: the train's gate results that did not pass and its failed steps, with their evidence (empty lists when none) */
            failures?: {
                /** @description Gate results that did not pass, in evaluation order */
                gates: components["schemas"]["GateResultInput"][];
                /** @description Why the train stopped or was rolled back, as the train records it */
                reason: string | null;
                /** @description Steps that failed, in the order they ran */
                steps: components["schemas"]["StepInput"][];
            };
            /** @description Every gate evaluation of the train (gating and verify stages, retries included) by verdict */
            gates: {
                error: number;
                evaluations: number;
                fail: number;
                inconclusive: number;
                pass: number;
            };
            /** @description Incidents attributed to the train (their trainId), oldest first */
            incidents: {
                id: string;
                /** @enum {string} */
                severity: "critical" | "warning" | "info";
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                startedAt: string;
                /** @enum {string} */
                status: "open" | "resolved";
                title: string;
            }[];
            /** @enum {string} */
            kind: "scheduled" | "hotfix";
            /** @description Median (nearest rank) of its versions' lead times; null until released */
            leadTimeMs: number | null;
            line: string;
            number: number;
            /** @description How it ended; null while it runs */
            outcome: ("released" | "rolled_back" | "aborted" | "skipped") | null;
            releasedAt: string | null;
            rollbacks: {
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                at: string;
                /** @description For component rollbacks: the components undone */
                components: string[];
                /** @enum {string} */
                scope: "train" | "wave" | "component";
            }[];
            /** @description The train's current state (final once it ended); null: not in the store */
            state: ("scheduled" | "boarding" | "frozen" | "integrating" | "gating" | "awaiting_approval" | "deploying" | "verifying" | "released" | "blocked" | "paused" | "rolling_back" | "rolled_back" | "aborted" | "skipped") | null;
            /** @description M4: integration test cases passed (flaky included) / run (skipped excluded), every report */
            tests: {
                passed: number;
                run: number;
            };
            trainId: string;
            /** @description The components it carries, by name: the frozen manifest's boarded items (dropped ones removed); before freezing, the artifacts that boarded it */
            versions: {
                artifactId: string;
                /** @description The commit's time as CI gave it; null: unknown */
                committedAt: string | null;
                component: string;
                /** @enum {string} */
                leadTimeFrom: "commit" | "push";
                /** @description M3 for this version: commit (or push, when the commit time is unknown) → the train released; null until released */
                leadTimeMs: number | null;
                /** @description What ran in production before this train (from its frozen manifest); null: none, or not frozen yet */
                previousVersion: string | null;
                /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
                pushedAt: string;
                version: string;
            }[];
        };
        /** @description Where a train's rollout is, what runs and what it waits for, what people may do: the train detail's live parts without its manifest, evidence and audit trail. */
        TrainProgress: {
            allowedActions: ("approve" | "reject" | "pause" | "resume" | "abort" | "rollback" | "retry" | "drop" | "promote")[];
            /** @description A rollout step waiting for a person: promote (POST /trains/{id}/promote) or approve (POST /trains/{id}/approvals). */
            awaiting: {
                /** @enum {string} */
                kind: "promote" | "approval";
                step: string;
                wave: string;
            } | null;
            /** @description Its newest gate result holding a canary analysis, or null */
            canary: components["schemas"]["GateResult"] | null;
            /** @description When it entered its current state (its latest transition), or its creation */
            enteredStateAt: string;
            /** @description Its steps running now (deploys, gates, rollbacks), oldest first */
            stepsInFlight: components["schemas"]["Step"][];
            /** @description What it waits for, in words (null while working or ended) */
            waitingFor: string | null;
            waves: {
                environments: string[];
                name: string;
                /** @enum {string} */
                status: "pending" | "deploying" | "baking" | "verifying" | "done" | "failed" | "rolled_back";
            }[];
        };
        /** @description Where a train's rollout is, what runs and what it waits for, what people may do: the train detail's live parts without its manifest, evidence and audit trail. */
        TrainProgressInput: {
            allowedActions: ("approve" | "reject" | "pause" | "resume" | "abort" | "rollback" | "retry" | "drop" | "promote")[];
            /** @description A rollout step waiting for a person: promote (POST /trains/{id}/promote) or approve (POST /trains/{id}/approvals). */
            awaiting: {
                /** @enum {string} */
                kind: "promote" | "approval";
                step: string;
                wave: string;
            } | null;
            /** @description Its newest gate result holding a canary analysis, or null */
            canary: components["schemas"]["GateResultInput"] | null;
            /** @description When it entered its current state (its latest transition), or its creation */
            enteredStateAt: string;
            /** @description Its steps running now (deploys, gates, rollbacks), oldest first */
            stepsInFlight: components["schemas"]["StepInput"][];
            /** @description What it waits for, in words (null while working or ended) */
            waitingFor: string | null;
            waves: {
                environments: string[];
                name: string;
                /** @enum {string} */
                status: "pending" | "deploying" | "baking" | "verifying" | "done" | "failed" | "rolled_back";
            }[];
        };
        /** @description A finding accepted on the record for one component until an expiry; the security gate does not count it meanwhile. */
        Waiver: {
            /** @description Who granted it */
            approver: string;
            component: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            expiresAt: string;
            /** @description The finding's id, e.g. CVE-2024-1234 */
            finding: string;
            id: string;
            justification: string;
            revokedAt: string | null;
            revokedBy: string | null;
            revokeReason: string | null;
        };
        /** @description A finding accepted on the record for one component until an expiry; the security gate does not count it meanwhile. */
        WaiverInput: {
            /** @description Who granted it */
            approver: string;
            component: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            createdAt: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            expiresAt: string;
            /** @description The finding's id, e.g. CVE-2024-1234 */
            finding: string;
            id: string;
            justification: string;
            revokedAt: string | null;
            revokedBy: string | null;
            revokeReason: string | null;
        };
        /** @description Inbound webhook deliveries counted in this process. */
        WebhookCounts: {
            /** @description Deliveries answered 202 since the server started, per receiver */
            accepted: {
                generic: number;
                github: number;
                gitlab: number;
            };
            /** @description Deliveries refused since the server started, per receiver and reason; none recorded anything */
            rejected: {
                generic: {
                    /** @description Stamped more than 5 minutes ahead of the server's clock (400) */
                    future: number;
                    /** @description Verified, but the body or a header cannot be read (400) */
                    payload: number;
                    /** @description A delivery accepted before (409) */
                    replay: number;
                    /** @description Missing or wrong signature (401) */
                    signature: number;
                    /** @description Older than webhooks.maxAge (400) */
                    stale: number;
                    /** @description Missing or wrong GitLab token (401) */
                    token: number;
                };
                github: {
                    /** @description Stamped more than 5 minutes ahead of the server's clock (400) */
                    future: number;
                    /** @description Verified, but the body or a header cannot be read (400) */
                    payload: number;
                    /** @description A delivery accepted before (409) */
                    replay: number;
                    /** @description Missing or wrong signature (401) */
                    signature: number;
                    /** @description Older than webhooks.maxAge (400) */
                    stale: number;
                    /** @description Missing or wrong GitLab token (401) */
                    token: number;
                };
                gitlab: {
                    /** @description Stamped more than 5 minutes ahead of the server's clock (400) */
                    future: number;
                    /** @description Verified, but the body or a header cannot be read (400) */
                    payload: number;
                    /** @description A delivery accepted before (409) */
                    replay: number;
                    /** @description Missing or wrong signature (401) */
                    signature: number;
                    /** @description Older than webhooks.maxAge (400) */
                    stale: number;
                    /** @description Missing or wrong GitLab token (401) */
                    token: number;
                };
            };
        };
        /** @description Inbound webhook deliveries counted in this process. */
        WebhookCountsInput: {
            /** @description Deliveries answered 202 since the server started, per receiver */
            accepted: {
                generic: number;
                github: number;
                gitlab: number;
            };
            /** @description Deliveries refused since the server started, per receiver and reason; none recorded anything */
            rejected: {
                generic: {
                    /** @description Stamped more than 5 minutes ahead of the server's clock (400) */
                    future: number;
                    /** @description Verified, but the body or a header cannot be read (400) */
                    payload: number;
                    /** @description A delivery accepted before (409) */
                    replay: number;
                    /** @description Missing or wrong signature (401) */
                    signature: number;
                    /** @description Older than webhooks.maxAge (400) */
                    stale: number;
                    /** @description Missing or wrong GitLab token (401) */
                    token: number;
                };
                github: {
                    /** @description Stamped more than 5 minutes ahead of the server's clock (400) */
                    future: number;
                    /** @description Verified, but the body or a header cannot be read (400) */
                    payload: number;
                    /** @description A delivery accepted before (409) */
                    replay: number;
                    /** @description Missing or wrong signature (401) */
                    signature: number;
                    /** @description Older than webhooks.maxAge (400) */
                    stale: number;
                    /** @description Missing or wrong GitLab token (401) */
                    token: number;
                };
                gitlab: {
                    /** @description Stamped more than 5 minutes ahead of the server's clock (400) */
                    future: number;
                    /** @description Verified, but the body or a header cannot be read (400) */
                    payload: number;
                    /** @description A delivery accepted before (409) */
                    replay: number;
                    /** @description Missing or wrong signature (401) */
                    signature: number;
                    /** @description Older than webhooks.maxAge (400) */
                    stale: number;
                    /** @description Missing or wrong GitLab token (401) */
                    token: number;
                };
            };
        };
        WebhookResult: {
            /** @description Statuses left out: not newer than the stored one, or for no configured repository */
            ignored: number;
            /** @description Artifacts built from the commit the statuses are about */
            matched: {
                artifact: string;
                component: string;
                train: string | null;
                version: string;
            }[];
            /** @description Why nothing was read from the delivery (e.g. an event without CI status) */
            note?: string;
            /** @description Statuses recorded (new, or newer than the stored one) */
            recorded: number;
        };
        WebhookResultInput: {
            /** @description Statuses left out: not newer than the stored one, or for no configured repository */
            ignored: number;
            /** @description Artifacts built from the commit the statuses are about */
            matched: {
                artifact: string;
                component: string;
                train: string | null;
                version: string;
            }[];
            /** @description Why nothing was read from the delivery (e.g. an event without CI status) */
            note?: string;
            /** @description Statuses recorded (new, or newer than the stored one) */
            recorded: number;
        };
        /** @description A span in which the line's production deployments may start. */
        WindowSpan: {
            /** @description Exclusive. */
            end: string;
            line: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            start: string;
        };
        /** @description A span in which the line's production deployments may start. */
        WindowSpanInput: {
            /** @description Exclusive. */
            end: string;
            line: string;
            /** @description ISO 8601 UTC instant, e.g. 2026-01-06T09:00:00.000Z */
            start: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
