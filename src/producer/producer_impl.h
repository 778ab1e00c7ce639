// The producer's composition, for tests that drive its engine by hand.
#ifndef KINESIS_PRODUCER_PRODUCER_IMPL_H_
#define KINESIS_PRODUCER_PRODUCER_IMPL_H_

#include <memory>

#include "kinesis/kinesis_backend.h"
#include "kinesis/producer.h"
#include "pipeline/engine.h"
#include "pipeline/result_dispatcher.h"

namespace kinesis {

// The parts of a producer a test reaches into; they live as long as the producer.
struct ProducerParts {
  Engine* engine = nullptr;
  ResultDispatcher* dispatcher = nullptr;  // PostTask runs after the callbacks published
};

// Producer::Create with the engine's clock and threading given (EngineOptions). `parts`, when
// not null, receives the producer's engine and dispatcher: with `options.threaded` false, the
// caller runs the engine's passes (Engine::RunPass), and Close runs one pass before it fails
// what is left.
Result<std::unique_ptr<Producer>> CreateProducer(const ProducerConfig& config,
                                                 std::shared_ptr<KinesisBackend> backend,
                                                 EngineOptions options, ProducerParts* parts);

}  // namespace kinesis

#endif  // KINESIS_PRODUCER_PRODUCER_IMPL_H_
