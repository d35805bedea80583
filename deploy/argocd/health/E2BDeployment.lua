-- Argo CD health of an E2BDeployment (e2b.neuraltrader.io/v1alpha1).
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

-- desiredReplicas is what the schedule (or a manual override) wants now, not necessarily spec.replicas.
local desired = obj.status.desiredReplicas
if desired == nil and obj.spec ~= nil then
  desired = obj.spec.replicas
end
desired = desired or 0
local readyReplicas = obj.status.readyReplicas or 0
local counts = string.format("%d of %d agents ready", readyReplicas, desired)

local ready = condition("Ready")
local available = condition("Available")
local progressing = condition("Progressing")
local limited = condition("ScalingLimited")

-- Ready (every desired agent up to date and Ready, nothing pending) decides; operators that predate it
-- only wrote Available.
local healthy
if ready ~= nil then
  healthy = ready.status == "True"
else
  healthy = available ~= nil and available.status == "True" and readyReplicas >= desired
end

if healthy then
  hs.status = "Healthy"
  hs.message = message(counts, available, ready)
elseif limited ~= nil and limited.status == "True" then
  -- A scale-up past maxScaleUpFactor waits for the approval annotation (or maxReplicas caps it): it will not
  -- converge without a person, so Degraded with the operator's explanation.
  hs.status = "Degraded"
  hs.message = message("Scaling is limited: " .. counts, limited)
else
  hs.status = "Progressing"
  hs.message = message(counts, progressing, ready, available)
end
return hs
