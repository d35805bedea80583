-- Argo CD health of a SandboxPool (e2b.neuraltrader.io/v1alpha1).
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

local function message(fallback, c)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
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

-- desiredReplicas is what the pool steers to now (a schedule window may override spec.replicas).
local desired = obj.status.desiredReplicas
if desired == nil and obj.spec ~= nil then
  desired = obj.spec.replicas
end
desired = desired or 0
local readyReplicas = obj.status.readyReplicas or 0
local counts = string.format("%d of %d warm members ready", readyReplicas, desired)

local held = condition("CapacityHeld")
local ready = condition("Ready")
if readyReplicas >= desired then
  hs.status = "Healthy"
  hs.message = counts
elseif held ~= nil and held.status == "True" then
  -- E2B answered with a capacity or rate limit and the pool stopped creating: it will not heal by waiting
  -- on this sync, so show it as Degraded with the operator's reason.
  hs.status = "Degraded"
  hs.message = message("Sandbox creation is held: " .. counts, held)
elseif ready ~= nil and ready.status == "False" then
  hs.status = "Progressing"
  hs.message = message(counts, ready)
else
  hs.status = "Progressing"
  hs.message = counts
end
return hs
