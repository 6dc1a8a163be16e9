/** Child process of `bench/run.js`: the baseline route of `bare-app.js`, for the split layout. */
import { startBare } from "./bare-app.js";

const { url, close } = await startBare();
process.on("message", async (message) => {
  if (message.type === "close") {
    await close();
    process.send({ type: "closed" }, () => process.exit(0));
  }
});
process.send({ type: "ready", url });
