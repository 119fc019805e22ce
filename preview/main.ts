import { buildPreview } from './build';
import { previewPort, startPreviewServer } from './serve';

/** `npm run preview`: builds the preview once and serves it until interrupted. */
async function main(): Promise<void> {
    const started = Date.now();
    const { outDir, warnings } = await buildPreview();
    warnings.forEach((warning) => console.warn(`warning: ${warning}`));
    console.log(`Built the preview in ${Math.round((Date.now() - started) / 1000)} s (${outDir}).`);
    const { url, close } = await startPreviewServer(outDir, previewPort());
    console.log(`Switchboard preview: ${url}/#dashboard  (#wizard, #mappings, #record). Ctrl+C stops it.`);
    process.once('SIGINT', () => {
        close().then(() => process.exit(0));
    });
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
