/*
 * The GeZu Lotse Academy adapter for the cmi5 LMS Test Suite of ADL's CATAPULT (lts/, modelled on its
 * lib/lms.template.js). run.sh copies this file to <lts>/lib/lms.custom.js. It talks to a running
 * platform over HTTP as an admin: content import (/author/modules/import), the player's automation
 * endpoints (/admin/player/automation/*) and the LRS (/xapi) with the seeded LRS client.
 *
 * Environment: LOTSE_URL, LOTSE_ADMIN_EMAIL, LOTSE_ADMIN_PASSWORD, LRS_KEY, LRS_SECRET.
 */
// the suite loads adapters with require() and hands them its own error class
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { InvalidPackageError } = require("./errors");
// jest's node environment has no global fetch: Wreck is what the suite itself uses
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Wreck = require("@hapi/wreck");

const base = () => (process.env.LOTSE_URL || "http://localhost:3000").replace(/\/$/, "");
let cookie = "";
const jar = new Map();
let csrf = "";

async function request(method, path, { body, headers = {}, json } = {}) {
    const res = await Wreck.request(method, `${base()}${path}`, {
        headers: { ...(cookie ? { Cookie: cookie } : {}), ...(csrf ? { "X-CSRF-Token": csrf } : {}), ...(json !== undefined ? { "Content-Type": "application/json", Accept: "application/json" } : {}), ...headers },
        payload: json !== undefined ? JSON.stringify(json) : body,
    });
    const raw = (await Wreck.read(res)).toString("utf8");
    for (const c of [].concat(res.headers["set-cookie"] || [])) {
        const [pair] = String(c).split(";");
        const eq = pair.indexOf("=");
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    return {
        status: res.statusCode,
        ok: res.statusCode >= 200 && res.statusCode < 300,
        text: async () => raw,
        json: async () => JSON.parse(raw),
    };
}

/** A multipart/form-data body with text fields and one file (Wreck has no FormData). */
function multipart(fields, file) {
    const boundary = `----lotse${Date.now().toString(16)}`;
    const parts = [];
    for (const [name, value] of Object.entries(fields)) {
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`));
    parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
    return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Signs in through the login form and keeps the session cookie and its CSRF token. */
async function login() {
    cookie = "";
    csrf = "";
    jar.clear();
    const page = await (await request("GET", "/login")).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)[1];
    const form = new URLSearchParams({ _csrf: token, email: process.env.LOTSE_ADMIN_EMAIL, password: process.env.LOTSE_ADMIN_PASSWORD });
    const res = await request("POST", "/login", { body: form.toString(), headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    if (res.status !== 302) throw new Error(`login failed: ${res.status}`);
    const dash = await (await request("GET", "/dashboard")).text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(dash)[1];
}

async function readStream(stream) {
    const chunks = [];
    for await (const c of stream) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
}

async function expectOk(res, what) {
    if (res.ok || res.status === 204) return res.status === 204 ? undefined : res.json();
    throw new Error(`${what} failed: ${res.status} ${await res.text()}`);
}

module.exports = {
    setup: async () => {
        await login();
    },
    teardown: async () => {},
    getLrsEndpoint: () => `${base()}/xapi`,
    getLrsAuthHeader: () => `Basic ${Buffer.from(`${process.env.LRS_KEY}:${process.env.LRS_SECRET}`).toString("base64")}`,

    importCourse: async (stream, contentType, filename) => {
        const content = await readStream(stream);
        const form = multipart({ publish: "on" }, { field: "package", filename, contentType, content });
        const res = await request("POST", `/author/modules/import?_csrf=${encodeURIComponent(csrf)}`, { body: form.body, headers: { Accept: "application/json", "Content-Type": form.contentType } });
        if (res.status === 400 || res.status === 413 || res.status === 415) {
            const body = await res.json().catch(() => ({}));
            throw new InvalidPackageError(`Invalid package: ${body.error || res.status} ${JSON.stringify((body.report && body.report.errors) || [])}`);
        }
        const body = await expectOk(res, `import of ${filename}`);
        return body.module.id;
    },

    getLaunchUrl: async (courseId, auIndex, actor, { registration, launchMode } = {}) => {
        const res = await request("POST", "/admin/player/automation/launch", { json: { moduleId: courseId, auIndex, actor, registration, launchMode } });
        return (await expectOk(res, "launch")).url;
    },

    cleanup: async () => {},

    hasWaive: () => true,
    waiveAU: async (registration, auIndex, reason) => {
        await expectOk(await request("POST", "/admin/player/automation/waive", { json: { registration, auIndex, reason } }), "waive");
    },

    hasAbandon: () => true,
    abandonSession: async (sessionId) => {
        await expectOk(await request("POST", "/admin/player/automation/abandon", { json: { sessionId } }), "abandon");
    },
};
