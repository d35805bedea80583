// Drives the e2b-operator's MCP server with the official TypeScript SDK client.
// Input (stdin): {"transport": "http"|"stdio", "url", "token", "command": [...], "calls": [{"tool", "args"}]}
// Output (stdout): one JSON object: the tools listed, then each call's result (or the connection error).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const plan = JSON.parse(Buffer.concat(chunks).toString("utf8"));

function transportFor(plan) {
  if (plan.transport === "http") {
    const headers = plan.token ? { Authorization: `Bearer ${plan.token}` } : {};
    return new StreamableHTTPClientTransport(new URL(plan.url), { requestInit: { headers } });
  }
  const [command, ...args] = plan.command;
  return new StdioClientTransport({ command, args, env: plan.env ?? process.env, stderr: "inherit" });
}

const out = { tools: [], results: [] };
const client = new Client({ name: "e2b-operator-it", version: "1.0.0" });
try {
  await client.connect(transportFor(plan));
  out.serverInfo = client.getServerVersion();
  const listed = await client.listTools();
  out.tools = listed.tools.map((t) => ({ name: t.name, annotations: t.annotations ?? {}, schema: t.inputSchema }));
  for (const call of plan.calls ?? []) {
    try {
      const r = await client.callTool({ name: call.tool, arguments: call.args ?? {} }, undefined,
        { timeout: 300000 });
      out.results.push({ tool: call.tool, isError: r.isError === true, structured: r.structuredContent ?? null,
        text: (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n") });
    } catch (e) {
      out.results.push({ tool: call.tool, protocolError: String(e?.message ?? e) });
    }
  }
} catch (e) {
  out.connectError = String(e?.message ?? e);
  if (e?.code !== undefined) out.connectErrorCode = e.code; // the HTTP status of a refused request
} finally {
  try { await client.close(); } catch { /* already closed */ }
}
process.stdout.write(JSON.stringify(out) + "\n");
