// The runtime-neutral check every runtime runs: no imports, no Node APIs; the SDK module is passed in, imported
// by each entry the way that runtime's users would import it.

/**
 * Pushes one event, then has the mock answer 401 and checks the SDK maps it to `UnauthorizedError`, and that
 * invalid input is refused before sending. Never throws: every outcome is a named check.
 *
 * @param {{ sdk: Record<string, any>; runtime: string; pushUrl: string; controlUrl: string }} config
 * @returns {Promise<{ ok: boolean; checks: Array<{ name: string; ok: boolean; detail?: string }> }>}
 * @example const result = await runProbe({ sdk: await import("flash-call"), runtime: "node-22", pushUrl, controlUrl });
 */
export async function runProbe({ sdk, runtime, pushUrl, controlUrl }) {
  const checks = [];
  const check = (name, ok, detail) => checks.push(detail === undefined ? { name, ok } : { name, ok, detail });
  const integrationKey = new URL(pushUrl).searchParams.get("integration_key") ?? "";
  const flashCall = sdk.createFlashCall({ pushUrl, rateLimit: false, maxRetries: 0, logLevel: "silent" });

  try {
    const result = await flashCall.push({
      title_rule: `runtime matrix: ${runtime}`,
      event_status: "Warning",
      labels: { runtime },
    });
    check(
      "push delivered",
      typeof result?.request_id === "string" && typeof result?.data?.alert_key === "string",
      JSON.stringify(result),
    );
    const seen = await (await fetch(`${controlUrl}/events?runtime=${encodeURIComponent(runtime)}`)).json();
    check("mock received the event", seen.count === 1, `count ${seen.count}`);
  } catch (error) {
    check("push delivered", false, describe(error));
  }

  try {
    // The change endpoint sits beside the alert one, with the same mock key.
    const changePushUrl = pushUrl.replace("/event/push/alert/standard", "/event/push/change/standard");
    const changes = sdk.createFlashCall({
      changePushUrl,
      rateLimit: false,
      maxRetries: 0,
      logLevel: "silent",
    });
    const result = await changes.change({
      title: `runtime matrix: ${runtime}`,
      change_status: "Done",
      change_key: `runtime-${runtime}`,
    });
    check("change delivered", typeof result?.request_id === "string", JSON.stringify(result));
  } catch (error) {
    check("change delivered", false, describe(error));
  }

  await fetch(`${controlUrl}/fail-next`, { method: "POST", body: JSON.stringify("Unauthorized") });
  try {
    await flashCall.push({ title_rule: `runtime matrix: ${runtime} (401)`, event_status: "Info" });
    check("401 mapped to UnauthorizedError", false, "the push resolved");
  } catch (error) {
    const mapped =
      sdk.FlashdutyError.isInstance(error) &&
      error instanceof sdk.UnauthorizedError &&
      error.code === "Unauthorized" &&
      error.status === 401 &&
      error.retryable === false;
    check("401 mapped to UnauthorizedError", mapped, describe(error));
    const printed = `${String(error)} ${error?.stack ?? ""} ${JSON.stringify(error)}`;
    check(
      "error never shows the key",
      integrationKey !== "" &&
        !printed.includes(integrationKey) &&
        !printed.includes(encodeURIComponent(integrationKey)),
    );
  }

  try {
    await flashCall.push({ title_rule: "", event_status: "Bogus" });
    check("invalid event refused before sending", false, "the push resolved");
  } catch (error) {
    check(
      "invalid event refused before sending",
      error instanceof sdk.FlashdutyValidationError,
      describe(error),
    );
  }

  await flashCall.close();
  return { ok: checks.every((entry) => entry.ok), checks };
}

function describe(error) {
  return `${error?.constructor?.name ?? typeof error} ${error?.code ?? ""} ${error?.status ?? ""}: ${error?.message ?? error}`;
}
