// Starts fauxqs (S3 and SQS stand-in) on 127.0.0.1 only: its own start-up binds every interface.
// FAUXQS_PORT picks the port (0: any free one); the first line printed names the address.
import { buildApp } from "fauxqs";

const app = buildApp({ logger: false });
const address = await app.listen({ port: Number(process.env.FAUXQS_PORT ?? 0), host: "127.0.0.1" });
console.log(`fauxqs listening on ${address}`);
