package dev.vod;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * The embedding cases with vod's own pipeline ({@link VodInitializer#installInto}) and the application's handlers
 * after it: vod writes pre-encoded responses, the application writes Netty response objects, on one connection.
 */
class InstalledPipelineEmbeddingTest extends EmbeddingTest {
    @Override
    void install(ChannelPipeline pipeline, VodInitializer vod) {
        vod.installInto(pipeline);
        pipeline.addLast(new HttpObjectAggregator(65536), new EmbeddingTest.AppHandler());
    }
}
