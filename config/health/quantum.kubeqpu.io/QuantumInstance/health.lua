-- Argo CD health check for QuantumInstance (quantum.kubeqpu.io). Lua 5.1, as Argo CD runs it: reads the global obj, returns hs.
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
local over = condition("UsageLimitExceeded")
if over ~= nil and over.status == "True" then
  hs.status = "Degraded" -- no new job is dispatched until the usage period ends
  hs.message = say(over)
else
  hs.status = "Healthy"
  hs.message = say(ready)
end
return hs
