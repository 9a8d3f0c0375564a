-- Argo CD health check for QuantumBackend (quantum.kubeqpu.io). Lua 5.1, as Argo CD runs it: reads the global obj, returns hs.
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
local available = condition("Available") or ready
if available.status == "True" then
  hs.status = "Healthy"
  local calibrating = condition("Calibrating")
  if calibrating ~= nil and calibrating.status == "True" then
    hs.message = "Calibrating: " .. (calibrating.message or "")
  else
    hs.message = "Available"
  end
elseif available.reason == "SimulatorNotReady" then
  hs.status = "Progressing" -- its simulator pods are starting (or restarting)
  hs.message = say(available)
else
  hs.status = "Degraded"
  hs.message = say(available)
end
return hs
