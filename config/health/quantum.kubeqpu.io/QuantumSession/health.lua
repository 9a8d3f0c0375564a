-- Argo CD health check for QuantumSession (quantum.kubeqpu.io). Lua 5.1, as Argo CD runs it: reads the global obj, returns hs.
-- Tested per object state by io.kubeqpu.install.HealthScriptsTest (health_test.yaml and testdata/ next to this file); docs/gitops.md installs it.
local hs = {}
local function condition(t)
  if obj.status == nil or obj.status.conditions == nil then return nil end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == t then return c end
  end
  return nil
end
local function say(c)
  if c.message ~= nil and c.message ~= "" then return c.reason .. ": " .. c.message end
  return c.reason
end
local ready = condition("Ready")
local gen = obj.metadata.generation
-- Until the operator has written conditions for the current generation, nothing it says is about this spec.
if ready == nil or (gen ~= nil and (obj.status.observedGeneration ~= gen
    or (ready.observedGeneration ~= nil and ready.observedGeneration ~= gen))) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(gen)
  return hs
end
local finished = condition("Finished")
if finished ~= nil and finished.status == "True" then
  if finished.reason == "Succeeded" then -- closed, or reached its TTL, with no job failed
    hs.status = "Healthy"
  else -- Failed (some jobs failed), Rejected, Cancelled
    hs.status = "Degraded"
  end
  hs.message = say(finished)
  return hs
end
if ready.status == "True" then -- open on its backend (Active or Inactive)
  hs.status = "Healthy"
elseif ready.reason == "JobsFailed" then
  hs.status = "Degraded"
else -- Pending: waiting for its backend
  hs.status = "Progressing"
end
hs.message = say(ready)
return hs
