-- Argo CD health of a TradingAgent (e2b.neuraltrader.io/v1alpha1).
-- Messages come from the operator's conditions, so Argo CD shows the same reason as `kubectl describe`.
local hs = {}

local function condition(ctype)
  if obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == ctype then
        return c
      end
    end
  end
  return nil
end

-- The first non-empty message among the given conditions, else the fallback.
-- select() rather than ipairs({...}): ipairs stops at the first nil, and absent conditions are nil.
local function message(fallback, ...)
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    if c ~= nil and c.message ~= nil and c.message ~= "" then
      return c.message
    end
  end
  return fallback
end

-- A missing status, or one written for an older spec, says nothing about the spec Argo CD just applied.
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end
local generation = obj.metadata.generation
if generation ~= nil and (obj.status.observedGeneration == nil or obj.status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
  return hs
end

local phase = obj.status.phase
local ready = condition("Ready")
local sandboxReady = condition("SandboxReady")
local healthy = condition("Healthy")

if phase == "Running" then
  hs.status = "Healthy"
  hs.message = message("Agent is running", ready)
elseif phase == "OutsideMarketHours" then
  -- Idle by design between sessions: healthy, and the message says why nothing runs.
  hs.status = "Healthy"
  local detail = message(nil, ready)
  if detail ~= nil then
    hs.message = "Outside market hours: " .. detail
  elseif obj.status.nextRunAt ~= nil then
    hs.message = "Outside market hours; next run at " .. obj.status.nextRunAt
  else
    hs.message = "Outside market hours"
  end
elseif phase == "Suspended" or phase == "Disabled" then
  -- spec.suspend, or a guardrail that suspended the agent: the condition names which.
  hs.status = "Suspended"
  hs.message = message("Agent is " .. string.lower(phase), ready, healthy)
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = message("Agent failed", ready, healthy, sandboxReady)
else
  -- Pending, WaitingForSandbox, or a phase this script does not know yet.
  hs.status = "Progressing"
  hs.message = message("Waiting for a sandbox (phase " .. (phase or "unset") .. ")", sandboxReady, ready)
end
return hs
