-- Argo CD health of an E2BSandbox (e2b.neuraltrader.io/v1alpha1).
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
local degraded = condition("Degraded")
local lastError = nil
if obj.status.lastError ~= nil and obj.status.lastError ~= "" then
  lastError = { message = obj.status.lastError }
end

if phase == "Running" then
  if ready ~= nil and ready.status == "True" then
    hs.status = "Healthy"
    hs.message = message("Sandbox " .. (obj.status.sandboxID or "") .. " is running", ready)
  else
    hs.status = "Progressing"
    hs.message = message("Sandbox is running but not Ready yet", ready)
  end
elseif phase == "Paused" then
  -- Paused on purpose (spec.paused or the idle policy): Argo CD's Suspended, not a fault.
  hs.status = "Suspended"
  hs.message = message("Sandbox is paused", ready)
elseif phase == "Expired" then
  hs.status = "Degraded"
  hs.message = message("Sandbox lifetime has passed", ready, degraded, lastError)
elseif phase == "Failed" then
  hs.status = "Degraded"
  hs.message = message("Sandbox failed", ready, degraded, lastError)
elseif phase == "Terminating" then
  hs.status = "Progressing"
  hs.message = message("Sandbox is being deleted", ready)
else
  -- Pending, Creating, or a phase this script does not know yet.
  hs.status = "Progressing"
  hs.message = message("Waiting for the sandbox to start (phase " .. (phase or "unset") .. ")", ready)
end
return hs
