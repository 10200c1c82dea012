"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Every method of smmkit's Node API, against the sandbox panel. Type-checked
// with `npm run typecheck` (tsc --noEmit --strict) and run by the tests.
const smmkit_1 = require("smmkit");
async function main() {
    const sandbox = new smmkit_1.Sandbox({ speed: null, seed: 3 });
    try {
        const client = new smmkit_1.PerfectPanel({ url: sandbox.url, key: sandbox.key, transport: 'post', timeoutMs: 10_000, retries: 2 });
        const services = await client.services();
        const plain = services.find((s) => s.type === 'Default' && s.refill && s.cancel);
        const comments = services.find((s) => s.type === 'Custom Comments');
        if (!plain || !comments)
            throw new Error('the sandbox sells both');
        const order = await client.add({ service: plain.id, link: 'https://instagram.com/p/tour', quantity: Number(plain.min) });
        const lines = Array.from({ length: Number(comments.min) }, (_, i) => `Nice post #${i + 1}`);
        await client.add({ service: comments.id, link: 'https://instagram.com/p/tour2', comments: lines });
        const doomed = await client.add({ service: plain.id, link: 'https://instagram.com/p/doomed', quantity: BigInt(plain.min) });
        const status = await client.status(order);
        console.log(status.status, status.charge, status.remains, status.isFinal);
        const many = await client.statuses([order, doomed, 1n]);
        for (const [id, result] of many) {
            console.log(id, result instanceof smmkit_1.SmmError ? result.code : result.status);
        }
        const canceled = await client.cancel(doomed);
        const cancels = await client.cancel([doomed]);
        console.log(canceled.note, cancels.size);
        sandbox.advance(48 * 3600);
        const refill = await client.refill(order);
        const state = await client.refillStatus(refill);
        const refills = await client.refills([order]);
        const states = await client.refillStatuses([refill]);
        console.log(state, refills.size, states.size);
        const balance = await client.balance();
        console.log(balance.amount, balance.currency, sandbox.balance());
        try {
            await client.add({ service: plain.id, link: '', quantity: 10 });
        }
        catch (e) {
            if (e instanceof smmkit_1.ValidationError)
                console.log('refused:', e.field);
        }
        try {
            await client.add({ service: plain.id, link: 'https://x.y/z', quantity: '999999999999' });
        }
        catch (e) {
            if (e instanceof smmkit_1.InsufficientFundsError || e instanceof smmkit_1.OutcomeUnknownError || e instanceof smmkit_1.ValidationError) {
                console.log(e.code);
            }
        }
        const fampage = new smmkit_1.Fampage({ key: sandbox.key, url: sandbox.url, timeoutMs: 5_000 });
        console.log(fampage.name, fampage.transport, (await fampage.balance()).amount);
        const decoded = (0, smmkit_1.decode)('statuses', '{"1":{"status":"Partial","charge":"0.27819"},"2":"Incorrect order ID"}');
        console.log(decoded.size, sandbox.orders().length, sandbox.faultCounts().clean);
        console.log('every method ran');
    }
    finally {
        sandbox.close();
    }
}
main().catch((e) => {
    console.error(e);
    process.exit(1);
});
