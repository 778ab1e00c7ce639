#include "pipeline/aggregator.h"

#include "common/dcheck.h"

namespace kinesis {

bool Aggregator::Add(PendingRecord* record, size_t max_size) {
  UserRecordView view{record->partition_key, record->data, std::nullopt};
  if (!record->explicit_hash_key.empty()) view.explicit_hash_key = record->explicit_hash_key;
  if (!encoder_.AddIfFits(view, max_size, record->key_hash)) return false;
  if (members_.empty() || record->send_by_ns < send_by_ns_) send_by_ns_ = record->send_by_ns;
  members_.push_back(record);
  KP_DCHECK(encoder_.count() == members_.size());
  return true;
}

std::unique_ptr<KinesisRecord> Aggregator::Seal(std::string_view shard_id,
                                                std::vector<std::string>& spares) {
  KP_DCHECK(!members_.empty());
  KP_DCHECK(encoder_.count() == members_.size());
  auto kr = std::make_unique<KinesisRecord>();
  kr->predicted_shard = std::string(shard_id);
  kr->send_by_ns = send_by_ns_;
  kr->members.swap(members_);
  members_.reserve(kr->members.size());  // the next aggregate is likely as large
  if (kr->members.size() == 1) {
    // One record gains nothing from the aggregate format: send it plain, as the KPL does.
    kr->explicit_hash_key = std::string(kr->members[0]->explicit_hash_key);
  } else {
    kr->aggregated = true;
    if (!spares.empty()) {
      kr->aggregate = std::move(spares.back());
      spares.pop_back();
    }
    encoder_.BuildWithoutDigestInto(kr->aggregate);  // digested when sent (Engine::Send)
    kr->digest_pending = true;
    kr->explicit_hash_key = kr->members[0]->hash.ToString();
  }
  encoder_.Clear();
  return kr;
}

std::vector<PendingRecord*> Aggregator::Release() {
  encoder_.Clear();
  return members_.TakeRecords();
}

}  // namespace kinesis
